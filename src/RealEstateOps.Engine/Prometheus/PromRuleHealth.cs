namespace RealEstateOps.Engine.Prometheus;

/// <summary>A rule's health after its last evaluation: ok, err (see its LastError), unknown (not evaluated yet).</summary>
public enum PromRuleHealth
{
    Unknown,
    Ok,
    Err,
}
