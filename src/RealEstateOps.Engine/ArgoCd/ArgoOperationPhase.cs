namespace RealEstateOps.Engine.ArgoCd;

/// <summary>The phase of an application's operation (status.operationState.phase).</summary>
public enum ArgoOperationPhase
{
    Running,
    Terminating,
    Failed,
    Error,
    Succeeded,
}
