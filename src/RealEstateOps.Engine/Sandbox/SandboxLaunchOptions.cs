using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>How Start-OpsSandbox starts the sandbox: its port, clock speed, fault rate, program and how long to wait for it.</summary>
public sealed class SandboxLaunchOptions
{
    public int Port { get; init; }
    public double Speed { get; init; } = 1;
    public double FaultRate { get; init; }
    /// <summary>RealEstateOps.Sandbox.dll (shipped in the module's sandbox/ folder).</summary>
    public required string SandboxAssembly { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Start the sandbox without its Prometheus and Alertmanager.</summary>
    public bool NoMonitoring { get; init; }

    public void Validate()
    {
        if (Port is < 0 or > 65535)
            throw new OpsException("SandboxPortInvalid", OpsErrorCategory.InvalidArgument, $"Port {Port} is not valid: use 1 to 65535, or 0 for a free port.", Port);
        SandboxSpeed.Validate(Speed);
        if (FaultRate is < 0 or > 1 || double.IsNaN(FaultRate))
            throw new OpsException("SandboxFaultRateInvalid", OpsErrorCategory.InvalidArgument, $"FaultRate {FaultRate} is not valid: use a share from 0 to 1 (0.2 = 20% of requests).", FaultRate);
    }
}
