namespace RealEstateOps.Engine.Eks;

/// <summary>An EKS update's status (UpdateStatus); <see cref="Unknown"/> for a value this module does not know.</summary>
public enum EksUpdateStatus
{
    Unknown,
    InProgress,
    Successful,
    Failed,
    Cancelled,
}
