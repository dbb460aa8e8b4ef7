namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// A Kubernetes API (group/version, resource) that stops being served at a minor, what replaces it and since when: the
/// table EKS's "Deprecated APIs removed in Kubernetes vX" insights compare requests with.
/// </summary>
public sealed record EksDeprecatedApi(string GroupVersion, string Resource, string StopServingVersion, string ReplacedWith, string StartServingReplacementVersion)
{
    /// <summary>The usage path EKS reports ("/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas").</summary>
    public string Usage => (GroupVersion.Contains('/') ? "/apis/" : "/api/") + GroupVersion + "/" + Resource;

    public bool Matches(string groupVersion, string resource) => GroupVersion == groupVersion && Resource == resource;

    /// <summary>APIs removed in the minors the sandbox covers (Kubernetes's deprecation guide).</summary>
    public static readonly IReadOnlyList<EksDeprecatedApi> Known = new[]
    {
        new EksDeprecatedApi("flowcontrol.apiserver.k8s.io/v1beta3", "flowschemas", "1.32", "flowcontrol.apiserver.k8s.io/v1", "1.29"),
        new EksDeprecatedApi("flowcontrol.apiserver.k8s.io/v1beta3", "prioritylevelconfigurations", "1.32", "flowcontrol.apiserver.k8s.io/v1", "1.29"),
        new EksDeprecatedApi("flowcontrol.apiserver.k8s.io/v1beta2", "flowschemas", "1.29", "flowcontrol.apiserver.k8s.io/v1", "1.29"),
        new EksDeprecatedApi("policy/v1beta1", "poddisruptionbudgets", "1.25", "policy/v1", "1.21"),
        new EksDeprecatedApi("batch/v1beta1", "cronjobs", "1.25", "batch/v1", "1.21"),
        new EksDeprecatedApi("autoscaling/v2beta2", "horizontalpodautoscalers", "1.26", "autoscaling/v2", "1.23"),
    };
}
