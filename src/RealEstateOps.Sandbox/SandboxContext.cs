using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox;

/// <summary>What the emulated services share: the clock, fault settings, request counts and the platform database.</summary>
public sealed class SandboxContext
{
    public SandboxContext(SandboxOptions options, SandboxClock clock, FaultInjector faults, RequestCounter requests)
    {
        Options = options;
        Clock = clock;
        Faults = faults;
        Requests = requests;
        SigV4 = new Security.SigV4Verifier(id => options.Secrets.SecretFor(id));
    }

    public SandboxOptions Options { get; }
    public SandboxClock Clock { get; }
    public FaultInjector Faults { get; }
    public RequestCounter Requests { get; }
    public Postgres.PlatformDatabase? Platform { get; set; }
    /// <summary>The incident store (its own PostgreSQL server when the sandbox runs its own).</summary>
    public Incident.IncidentDatabase? Incidents { get; set; }
    /// <summary>The PostgreSQL server this sandbox started itself (null when pointed at an external one): the RDS sandbox restarts it on a reboot.</summary>
    public Postgres.LocalPostgresServer? OwnPostgres { get; set; }
    /// <summary>The Kubernetes API over TLS (what EKS reports as the cluster's endpoint), once the host listens.</summary>
    public Uri? KubernetesUrl { get; set; }
    /// <summary>The TLS listener's certificate (PEM): the cluster's certificate authority as EKS reports it.</summary>
    public string? CertificatePem { get; set; }
    /// <summary>The running Prometheus and Alertmanager; null when monitoring is off (<see cref="MonitoringMessage"/> says why).</summary>
    public Monitoring.MonitoringStack? Monitoring { get; set; }
    /// <summary>Where monitoring runs, or why it does not.</summary>
    public string? MonitoringMessage { get; set; }
    /// <summary>The platform metrics Prometheus scrapes (null without a Kubernetes API to follow).</summary>
    public Monitoring.PlatformMetrics? Metrics { get; set; }
    /// <summary>The Kubernetes sandbox, when hosted (its PrometheusRule objects are Prometheus' rule files).</summary>
    public Kubernetes.KubernetesService? Kubernetes { get; set; }
    /// <summary>What the Alertmanager sent to the sandbox's webhook.</summary>
    public Monitoring.NotificationLog Notifications { get; } = new();
    /// <summary>Verifies SigV4 signatures against the sandbox's own keys, on the real clock.</summary>
    public Security.SigV4Verifier SigV4 { get; set; }
}
