using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>A drain that could not complete, with what it did so far.</summary>
public sealed class DrainException : OpsException
{
    public DrainException(string errorId, OpsErrorCategory category, string message, NodeDrainResult result, Exception? inner = null)
        : base(errorId, category, message, result.Node, inner) => Result = result;

    public NodeDrainResult Result { get; }
}
