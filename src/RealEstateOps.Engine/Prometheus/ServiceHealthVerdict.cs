namespace RealEstateOps.Engine.Prometheus;

public enum ServiceHealthVerdict
{
    Healthy,
    /// <summary>Serving, but slow, restarting or near its resource requests.</summary>
    Degraded,
    /// <summary>Its error rate is above the threshold, or it has no pod.</summary>
    Unhealthy,
    /// <summary>Prometheus has no metrics for it.</summary>
    NoData,
}
