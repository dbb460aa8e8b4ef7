namespace RealEstateOps.Engine.Eks;

/// <summary>One version of an add-on in the catalogue (AddonVersionInfo) with the Kubernetes minors it suits and those where it is the default.</summary>
public sealed class EksAddonCatalogVersion
{
    public string AddonVersion { get; init; } = "";
    /// <summary>The minors it is compatible with (compatibilities[].clusterVersion).</summary>
    public IReadOnlyList<string> ClusterVersions { get; init; } = Array.Empty<string>();
    /// <summary>The minors for which it is the default (compatibilities[].defaultVersion).</summary>
    public IReadOnlyList<string> DefaultFor { get; init; } = Array.Empty<string>();
    public IReadOnlyList<string> Architectures { get; init; } = Array.Empty<string>();
    public bool RequiresConfiguration { get; init; }

    public override string ToString() => AddonVersion;
}
