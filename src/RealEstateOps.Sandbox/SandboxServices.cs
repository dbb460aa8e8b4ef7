namespace RealEstateOps.Sandbox;

/// <summary>The emulated services, in the order requests are offered to them.</summary>
public static class SandboxServices
{
    public static IEnumerable<ISandboxService> All(SandboxOptions options)
    {
        foreach (var extra in options.ExtraServices) yield return extra;
        yield return new S3.S3Service(); // S3: requests signed for s3
        yield return new Langfuse.LangfuseService(); // Langfuse's public API: /api/public/..., basic auth (before the Kubernetes API, which serves /api)
        yield return new Notification.NotificationService(); // stakeholder webhooks (/_webhooks/...) and PagerDuty's /v2/enqueue (before the Kubernetes API)
        var kubernetes = new Kubernetes.KubernetesService();
        yield return new ArgoCd.ArgoCdService(kubernetes); // Argo CD's API: /api/version, /api/v1/applications..., /api/v1/session... (before the Kubernetes API, which serves /api), over the Kubernetes API's objects
        yield return kubernetes; // the Kubernetes API: unsigned requests under /api, /apis, /version, /openapi, /healthz
        var ec2 = new Rds.Ec2Service();
        yield return ec2; // EC2: requests signed for ec2 (Query protocol, POST /, which the RDS service hands over): security groups and subnets
        yield return new Rds.RdsService(ec2); // RDS: requests signed for rds (Query protocol, POST /)
        yield return new Eks.EksService(kubernetes); // EKS: requests signed for eks (REST-JSON under /clusters and /addons), over the Kubernetes API's nodes
    }
}
