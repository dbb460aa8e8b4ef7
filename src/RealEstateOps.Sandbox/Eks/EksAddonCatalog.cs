namespace RealEstateOps.Sandbox.Eks;

/// <summary>One version of an add-on: the cluster minors it supports and for which of them it is the default.</summary>
public sealed record EksAddonVersion(string Version, IReadOnlyList<string> ClusterVersions, IReadOnlyList<string> DefaultFor);

/// <summary>
/// An add-on of the catalogue: type, the workload in kube-system that runs it (a DaemonSet or Deployment, when the sandbox
/// has one) and how a version becomes that workload's image.
/// </summary>
public sealed record EksAddonInfo(string Name, string Type, string? WorkloadKind, string? WorkloadName, string ImageRepository, bool TagDropsBuild,
    IReadOnlyList<EksAddonVersion> Versions)
{
    /// <summary>The container image for a version: vpc-cni tags drop the "-eksbuild.N" suffix, kube-proxy's keep it.</summary>
    public string Image(string version) => ImageRepository + ":" + (TagDropsBuild && version.IndexOf("-eksbuild", StringComparison.Ordinal) is var i and > 0 ? version[..i] : version);

    public EksAddonVersion? Find(string version) => Versions.FirstOrDefault(v => v.Version == version);

    public bool IsCompatible(string version, string clusterMinor) => Find(version)?.ClusterVersions.Contains(clusterMinor) == true;

    public EksAddonVersion? DefaultFor(string clusterMinor) => Versions.FirstOrDefault(v => v.DefaultFor.Contains(clusterMinor));

    /// <summary>Versions compatible with a minor, newest first.</summary>
    public IEnumerable<EksAddonVersion> CompatibleWith(string clusterMinor) => Versions.Where(v => v.ClusterVersions.Contains(clusterMinor)).Reverse();
}

/// <summary>
/// The add-on catalogue DescribeAddonVersions serves, for Kubernetes 1.31 to 1.34: vpc-cni, coredns, kube-proxy and
/// eks-pod-identity-agent, several versions each (oldest first). The installed kube-proxy and coredns support 1.32 but
/// not 1.33, so a control-plane upgrade must be followed by add-on updates.
/// </summary>
public static class EksAddonCatalog
{
    private const string Ecr = "602401143452.dkr.ecr.us-east-1.amazonaws.com/";

    private static EksAddonVersion V(string version, string[] clusters, params string[] defaultFor) => new(version, clusters, defaultFor);

    public static readonly IReadOnlyList<EksAddonInfo> All = new[]
    {
        new EksAddonInfo("coredns", "networking", "Deployment", "coredns", Ecr + "eks/coredns", false, new[]
        {
            V("v1.11.3-eksbuild.2", new[] { "1.31" }),
            V("v1.11.4-eksbuild.2", new[] { "1.31", "1.32" }, "1.31", "1.32"),
            V("v1.11.4-eksbuild.14", new[] { "1.32" }),
            V("v1.12.1-eksbuild.2", new[] { "1.33", "1.34" }, "1.33"),
            V("v1.12.3-eksbuild.1", new[] { "1.33", "1.34" }, "1.34"),
        }),
        new EksAddonInfo("eks-pod-identity-agent", "security", "DaemonSet", "eks-pod-identity-agent", Ecr + "eks/eks-pod-identity-agent", false, new[]
        {
            V("v1.3.4-eksbuild.1", new[] { "1.31", "1.32", "1.33" }, "1.31", "1.32"),
            V("v1.3.8-eksbuild.2", new[] { "1.31", "1.32", "1.33", "1.34" }, "1.33", "1.34"),
        }),
        new EksAddonInfo("kube-proxy", "networking", "DaemonSet", "kube-proxy", Ecr + "eks/kube-proxy", false, new[]
        {
            V("v1.31.3-eksbuild.2", new[] { "1.31" }, "1.31"),
            V("v1.32.0-eksbuild.2", new[] { "1.32" }),
            V("v1.32.6-eksbuild.2", new[] { "1.32" }, "1.32"),
            V("v1.33.0-eksbuild.2", new[] { "1.33" }, "1.33"),
            V("v1.34.0-eksbuild.2", new[] { "1.34" }, "1.34"),
        }),
        new EksAddonInfo("vpc-cni", "networking", "DaemonSet", "aws-node", Ecr + "amazon-k8s-cni", true, new[]
        {
            V("v1.18.6-eksbuild.1", new[] { "1.31", "1.32" }),
            V("v1.19.0-eksbuild.1", new[] { "1.31", "1.32", "1.33" }, "1.31"),
            V("v1.19.2-eksbuild.1", new[] { "1.31", "1.32", "1.33", "1.34" }, "1.32"),
            V("v1.20.1-eksbuild.1", new[] { "1.32", "1.33", "1.34" }, "1.33", "1.34"),
        }),
    };

    /// <summary>The installed versions of the seeded cluster (vpc-cni and kube-proxy match the images of the seeded DaemonSets).</summary>
    public static readonly IReadOnlyDictionary<string, string> Installed = new Dictionary<string, string>
    {
        ["coredns"] = "v1.11.4-eksbuild.2",
        ["eks-pod-identity-agent"] = "v1.3.4-eksbuild.1",
        ["kube-proxy"] = "v1.32.0-eksbuild.2",
        ["vpc-cni"] = "v1.19.0-eksbuild.1",
    };

    public static EksAddonInfo? Find(string name) => All.FirstOrDefault(a => a.Name == name);
}
