namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// A drain stopped by its caller's cancellation (Ctrl+C) while pods were being evicted: still an
/// OperationCanceledException, with what was done so far (<see cref="Result"/>, status Stopped) and a
/// message that says it ("Stopped: node/... stays cordoned; evicted: ...; remaining: ...").
/// </summary>
public sealed class NodeDrainStoppedException : OperationCanceledException
{
    public NodeDrainStoppedException(string message, NodeDrainResult result, OperationCanceledException inner)
        : base(message, inner, inner.CancellationToken) => Result = result;

    public NodeDrainResult Result { get; }
}
