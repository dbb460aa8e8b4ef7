namespace RealEstateOps.Engine.Kubernetes;

/// <summary>One log line as an object: pod, container, timestamp and text.</summary>
public sealed class PodLogLine
{
    public string Namespace { get; init; } = "";
    public string Pod { get; init; } = "";
    public string Container { get; init; } = "";
    public DateTimeOffset? Timestamp { get; init; }
    public string Text { get; init; } = "";
    public override string ToString() => Text;
}
