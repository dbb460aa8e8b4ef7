using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Notification;

/// <summary>NotificationRejected: the service answered, and not with success; the message carries its answer.</summary>
public sealed class NotificationRejectedException : OpsException
{
    public NotificationRejectedException(string channel, int statusCode, string message)
        : base("NotificationRejected", OpsErrorCategory.InvalidResult, message, channel) => StatusCode = statusCode;

    /// <summary>The HTTP status the service answered with.</summary>
    public int StatusCode { get; }
}
