using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>Starts the local sandbox in the background and writes the 'sandbox' context pointing at it.</summary>
[Cmdlet(VerbsLifecycle.Start, "OpsSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SandboxInstance))]
public sealed class StartOpsSandboxCommand : SandboxCommandBase
{
    /// <summary>TCP port on 127.0.0.1; by default a free one.</summary>
    [Parameter(Position = 0)]
    public int Port { get; set; }

    [Parameter] public double Speed { get; set; } = 1;

    [Parameter] public double FaultRate { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Start no Prometheus and Alertmanager (they run by default when installed).</summary>
    [Parameter] public SwitchParameter NoMonitoring { get; set; }

    protected override void ProcessRecordCore()
    {
        var options = new SandboxLaunchOptions { Port = Port, Speed = Speed, FaultRate = FaultRate, SandboxAssembly = SandboxAssembly, Timeout = Timeout, NoMonitoring = NoMonitoring };
        options.Validate(); // bad input is reported before ShouldProcess, and even under -WhatIf
        WriteVerbose($"Sandbox program: {options.SandboxAssembly}; state folder: {Paths.SandboxFolder}.");
        var target = Port == 0 ? "127.0.0.1 (free port)" : $"127.0.0.1:{Port}";
        var instance = Change(target, "Start sandbox", ct => Launcher.StartAsync(options, WaitProgress(), ct));
        if (instance is null) return;
        WriteVerbose($"Sandbox answering at {instance.Url}; context '{instance.ContextName}' written. Use-OpsContext {instance.ContextName} to work against it.");
        if (instance.MonitoringMessage is { } monitoring)
        {
            if (instance.PrometheusUrl is null && !NoMonitoring) WriteWarning(monitoring);
            else WriteVerbose(monitoring);
        }
        WriteObject(instance);
    }
}
