namespace RealEstateOps.Sandbox;

/// <summary>The emulated services, in the order requests are offered to them.</summary>
public static class SandboxServices
{
    public static IEnumerable<ISandboxService> All(SandboxOptions options) => options.ExtraServices
        .Append(new Kubernetes.KubernetesService()); // the Kubernetes API: unsigned requests under /api, /apis, /version, /openapi, /healthz
}
