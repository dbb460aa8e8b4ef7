using System.Globalization;
using System.Management.Automation;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>Sets the speed of the running sandbox's clock, which times its emulated state transitions (snapshots, restores, rollouts).</summary>
[Cmdlet(VerbsCommon.Set, "OpsSandboxClock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SandboxClockState))]
public sealed class SetOpsSandboxClockCommand : SandboxCommandBase
{
    /// <summary>The speed factor: simulated time runs this many times faster than real time (greater than 0, at most 10000).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public double Speed { get; set; }

    protected override void ProcessRecordCore()
    {
        SandboxSpeed.Validate(Speed); // bad input is reported before ShouldProcess, and even under -WhatIf
        var running = Run(ct => Launcher.RequireRunningAsync(ct));
        var action = string.Create(CultureInfo.InvariantCulture, $"Set the clock speed from {running.Speed}x to {Speed}x");
        var clock = Change(running.Url, action, ct => Launcher.SetClockAsync(running, Speed, ct));
        if (clock is not null) WriteObject(clock);
    }
}
