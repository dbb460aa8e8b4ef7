using System.Globalization;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>One kind of injected error: an HTTP status and the service's error code.</summary>
public sealed record SandboxFaultKind(int Status, string Code)
{
    /// <summary>Parses "503:SlowDown" or "429".</summary>
    public static SandboxFaultKind Parse(string text)
    {
        var parts = text.Split(':', 2);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 400 or > 599)
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"'{text}' is not a fault: use STATUS[:Code] with a 4xx or 5xx status, e.g. 503:SlowDown.", text);
        return new SandboxFaultKind(status, parts.Length > 1 && parts[1].Length > 0 ? parts[1] : status switch
        {
            429 => "Throttling", 500 => "InternalError", 502 => "BadGateway", 503 => "ServiceUnavailable", 504 => "GatewayTimeout", _ => "Error",
        });
    }

    public override string ToString() => $"{Status}:{Code}";
}
