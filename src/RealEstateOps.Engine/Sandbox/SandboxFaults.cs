using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>Fault injection for one emulated service of the sandbox, or "*" for all of them.</summary>
public sealed class SandboxFaults
{
    public string Service { get; init; } = SandboxServiceNames.All;
    public double ErrorRate { get; init; }
    public IReadOnlyList<SandboxFaultKind> Errors { get; init; } = Array.Empty<SandboxFaultKind>();
    public TimeSpan Latency { get; init; }
    public double DropRate { get; init; }

    /// <summary>
    /// Checks the values, and, given the services of the running sandbox, that <see cref="Service"/> is one of them
    /// (or * for all): a service the sandbox does not have is SandboxServiceUnknown.
    /// </summary>
    public void Validate(IReadOnlyCollection<string>? services = null)
    {
        if (string.IsNullOrWhiteSpace(Service) ||
            services is { Count: > 0 } && Service != SandboxServiceNames.All && !services.Contains(Service, StringComparer.OrdinalIgnoreCase))
            throw UnknownService(Service, services ?? SandboxServiceNames.Shipped);
        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate))
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"ErrorRate {ErrorRate} is not valid: use a share from 0 to 1.", ErrorRate);
        if (DropRate is < 0 or > 1 || double.IsNaN(DropRate) || DropRate + ErrorRate > 1)
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"DropRate {DropRate} is not valid: use a share from 0 to 1, and ErrorRate + DropRate at most 1.", DropRate);
        if (Latency < TimeSpan.Zero || Latency > TimeSpan.FromMinutes(10))
            throw new OpsException("SandboxFaultsInvalid", OpsErrorCategory.InvalidArgument, $"Latency {Latency} is not valid: use 0 to 10 minutes.", Latency);
    }

    /// <summary>The error for a service the sandbox does not emulate, naming those it does.</summary>
    public static OpsException UnknownService(string service, IEnumerable<string> services) =>
        new("SandboxServiceUnknown", OpsErrorCategory.InvalidArgument,
            $"The sandbox has no service '{service}': use {string.Join(", ", services)}, or * for all of them.", service)
        {
            RecommendedAction = "Press Tab after -Service to list the services of the running sandbox.",
        };
}
