namespace RealEstateOps.Engine.Prometheus;

/// <summary>Where a business metric honestly lives.</summary>
public enum BusinessMetricSource
{
    Prometheus,
    Database,
}
