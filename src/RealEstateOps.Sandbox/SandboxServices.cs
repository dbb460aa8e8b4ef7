namespace RealEstateOps.Sandbox;

/// <summary>The emulated services, in the order requests are offered to them.</summary>
public static class SandboxServices
{
    public static IEnumerable<ISandboxService> All(SandboxOptions options)
    {
        foreach (var extra in options.ExtraServices) yield return extra;
        yield return new S3.S3Service(); // S3: requests signed for s3
        yield return new Kubernetes.KubernetesService(); // the Kubernetes API: unsigned requests under /api, /apis, /version, /openapi, /healthz
        yield return new Rds.RdsService(); // RDS: requests signed for rds (Query protocol, POST /)
    }
}
