namespace RealEstateOps.Engine.Eks;

/// <summary>
/// One add-on's versions for one Kubernetes minor (DescribeAddonVersions): the default and the latest version compatible
/// with that minor, the version installed on the cluster, and whether the installed one is compatible. ClusterName,
/// AddonName and DefaultVersion (as AddonVersion) bind into Update-EksAddon.
/// </summary>
public sealed class EksAddonVersion
{
    public string ClusterName { get; init; } = "";
    public string AddonName { get; init; } = "";
    /// <summary>The Kubernetes minor asked about, e.g. "1.33".</summary>
    public string KubernetesVersion { get; init; } = "";
    /// <summary>The version EKS installs by default on that minor (null when EKS marks none as default).</summary>
    public string? DefaultVersion { get; init; }
    /// <summary>The highest version compatible with that minor.</summary>
    public string? LatestVersion { get; init; }
    /// <summary>Every version compatible with that minor, highest first.</summary>
    public IReadOnlyList<string> CompatibleVersions { get; init; } = Array.Empty<string>();
    /// <summary>The version installed on the cluster (null when the add-on is not installed).</summary>
    public string? InstalledVersion { get; init; }
    public string? Type { get; init; }
    public string? Owner { get; init; }
    public string? Publisher { get; init; }

    public bool IsInstalled => InstalledVersion is not null;

    /// <summary>Whether the installed version is among those compatible with the minor (null when not installed).</summary>
    public bool? IsInstalledCompatible => InstalledVersion is { } v ? CompatibleVersions.Contains(v, StringComparer.Ordinal) : null;

    /// <summary>The version an update to this minor would install: the default, else the latest compatible.</summary>
    public string? RecommendedVersion => DefaultVersion ?? LatestVersion;

    public override string ToString() => $"{AddonName} {RecommendedVersion}";
}
