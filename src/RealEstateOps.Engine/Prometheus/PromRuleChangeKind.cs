namespace RealEstateOps.Engine.Prometheus;

public enum PromRuleChangeKind
{
    /// <summary>A new PrometheusRule object holding the rule.</summary>
    CreateObject,
    /// <summary>The rule added to an existing object (to an existing group or a new one).</summary>
    AddRule,
    UpdateRule,
    RemoveRule,
    /// <summary>The rule removed with the object it was the last rule of.</summary>
    DeleteObject,
}
