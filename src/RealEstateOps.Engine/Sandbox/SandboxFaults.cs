using System.Globalization;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

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

/// <summary>Fault injection for one emulated service of the sandbox, or "*" for all of them.</summary>
public sealed class SandboxFaults
{
    public string Service { get; init; } = "*";
    public double ErrorRate { get; init; }
    public IReadOnlyList<SandboxFaultKind> Errors { get; init; } = Array.Empty<SandboxFaultKind>();
    public TimeSpan Latency { get; init; }
    public double DropRate { get; init; }

    public void Validate()
    {
        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"ErrorRate {ErrorRate} is not valid: use a share from 0 to 1.", ErrorRate);
        if (DropRate is < 0 or > 1 || double.IsNaN(DropRate) || DropRate + ErrorRate > 1)
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"DropRate {DropRate} is not valid: use a share from 0 to 1, and ErrorRate + DropRate at most 1.", DropRate);
        if (Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(10))
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"Latency {Latency} is not valid: use 0 to 10 minutes.", Latency);
    }
}
