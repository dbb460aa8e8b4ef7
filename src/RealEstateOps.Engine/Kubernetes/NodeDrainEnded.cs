using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// One node of <see cref="NodeDrainer.DrainManyAsync"/> is done, reported as it ends (on the drain's thread,
/// before the next event about it): drained (<see cref="Result"/>), failed (<see cref="Error"/>, with the
/// result when the drain got that far), or stopped by cancellation (<see cref="Stopped"/>, <see cref="Message"/>
/// says what remains).
/// </summary>
public sealed record NodeDrainEnded(string Node, TimeSpan Duration) : OpsEvent
{
    public NodeDrainResult? Result { get; init; }
    public OpsException? Error { get; init; }
    public bool Stopped { get; init; }
    /// <summary>What happened, in one line: the error's message, or for a stop what is gone and what remains.</summary>
    public string? Message { get; init; }
}
