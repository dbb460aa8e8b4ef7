namespace RealEstateOps.Engine.Eks;

/// <summary>One add-on of DescribeAddonVersions' catalogue (AddonInfo): its versions and which Kubernetes minors each suits.</summary>
public sealed class EksAddonCatalogEntry
{
    public string AddonName { get; init; } = "";
    public string? Type { get; init; }
    public string? Owner { get; init; }
    public string? Publisher { get; init; }
    public IReadOnlyList<EksAddonCatalogVersion> Versions { get; init; } = Array.Empty<EksAddonCatalogVersion>();

    public override string ToString() => AddonName;
}
