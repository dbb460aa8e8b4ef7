namespace RealEstateOps.Engine.ArgoCd;

/// <summary>Which applications to list: names (wildcards allowed; none for all) and a project.</summary>
public sealed class ArgoApplicationQuery
{
    public string[]? Names { get; init; }
    public string? Project { get; init; }
}
