namespace RealEstateOps.Engine.Investigation;

/// <summary>
/// One service whose alert measure crossed the threshold in the window (error rate in percent for HighErrorRate, p95
/// latency in milliseconds for HighLatencyP95): since when (the start of its latest run above the threshold), its peak
/// and its latest value.
/// </summary>
public sealed class ServiceSpike
{
    public string Alert { get; init; } = "";
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    /// <summary>"%" (error rate) or "ms" (p95 latency).</summary>
    public string Unit { get; init; } = "";
    public double Threshold { get; init; }
    /// <summary>When the latest run above the threshold began (the first point above it; the window's start when it was above from the start).</summary>
    public DateTimeOffset Since { get; init; }
    /// <summary>Whether the latest point is still above the threshold.</summary>
    public bool Ongoing { get; init; }
    public double Peak { get; init; }
    public DateTimeOffset PeakAt { get; init; }
    /// <summary>The latest value in the window (NaN when the service had no traffic then).</summary>
    public double Latest { get; init; }
    public DateTimeOffset LatestAt { get; init; }

    public override string ToString() => $"{Service} {Alert} since {Since:u}: peak {Peak:0.#}{Unit}, latest {Latest:0.#}{Unit}{(Ongoing ? " (ongoing)" : "")}";
}
