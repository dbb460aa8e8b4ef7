using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>Injects faults into the running sandbox (errors by status and code, latency, dropped connections), to rehearse retries and partial failures.</summary>
[Cmdlet(VerbsCommon.Set, "OpsSandboxFault", DefaultParameterSetName = "Set", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SandboxFaults))]
public sealed class SetOpsSandboxFaultCommand : SandboxCommandBase
{
    /// <summary>
    /// One of the running sandbox's services (s3, kubernetes, rds, eks) or platform services (api-service, auth-service,
    /// llm-service, chatbot-service, proposal-service: their synthetic traffic, which the metrics follow), or * for all.
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = "Set")]
    [ArgumentCompleter(typeof(SandboxServiceCompleter))]
    public string Service { get; set; } = SandboxServiceNames.All;

    [Parameter(ParameterSetName = "Set")] public double ErrorRate { get; set; }

    /// <summary>Errors to inject, as STATUS[:Code] (e.g. 503:SlowDown, 400:Throttling, 500); by default the service's throttling error, 503 and 500.</summary>
    [Parameter(ParameterSetName = "Set")] public string[]? Error { get; set; }

    [Parameter(ParameterSetName = "Set")]
    [Duration]
    public TimeSpan Latency { get; set; }

    [Parameter(ParameterSetName = "Set")] public double DropRate { get; set; }

    /// <summary>Clears all faults (and request counts with -ResetRequestCount).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Reset")] public SwitchParameter Reset { get; set; }

    [Parameter(ParameterSetName = "Reset")] public SwitchParameter ResetRequestCount { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Reset)
        {
            Change("sandbox", ResetRequestCount ? "Clear faults and request counts" : "Clear faults", ct => Launcher.ResetAsync(ResetRequestCount, ct));
            return;
        }
        var faults = new SandboxFaults
        {
            Service = Service, ErrorRate = ErrorRate, Latency = Latency, DropRate = DropRate,
            Errors = (Error ?? Array.Empty<string>()).Select(SandboxFaultKind.Parse).ToArray(),
        };
        faults.Validate();
        // Bad input is reported before ShouldProcess, also under -WhatIf: a service the running sandbox does not have too.
        var running = Run(ct => Launcher.RequireRunningAsync(ct));
        faults.Validate(running.Services.Concat(running.PlatformServices).ToArray());
        var set = Change(Service, $"Inject faults (errors {ErrorRate:P0}, drops {DropRate:P0}, latency {Latency.TotalMilliseconds} ms)", ct => Launcher.SetFaultsAsync(running, faults, ct));
        if (set is not null) WriteObject(set);
    }
}
