namespace RealEstateOps.Engine.Common;

/// <summary>
/// Error categories the engine reports. The names match PowerShell's ErrorCategory so the cmdlet
/// layer can map them by name; the engine itself stays free of any PowerShell reference.
/// </summary>
public enum OpsErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    InvalidResult,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    ResourceBusy,
    ConnectionError,
    AuthenticationError,
    PermissionDenied,
    OperationTimeout,
    OperationStopped,
    LimitsExceeded,
    ReadError,
    WriteError,
    NotInstalled,
}

/// <summary>
/// A failure with a specific, stable error id (one per code path), a category and the object it
/// concerns. <see cref="IsFatal"/> marks failures after which nothing in the command can go on
/// (no credentials, unreadable context); all others concern one item only.
/// </summary>
public class OpsException : Exception
{
    public OpsException(string errorId, OpsErrorCategory category, string message, object? target = null,
        Exception? inner = null, bool isFatal = false)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
        IsFatal = isFatal;
    }

    public string ErrorId { get; }
    public OpsErrorCategory Category { get; }
    public object? Target { get; }
    public bool IsFatal { get; }

    /// <summary>Text telling the operator what to do about it, when there is something to say.</summary>
    public string? RecommendedAction { get; init; }
}
