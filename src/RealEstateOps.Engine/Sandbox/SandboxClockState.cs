namespace RealEstateOps.Engine.Sandbox;

/// <summary>The sandbox's clock after Set-OpsSandboxClock: its speed now, the speed it had, and the sandbox's own time.</summary>
public sealed class SandboxClockState
{
    public required string Url { get; init; }
    /// <summary>The speed factor now: simulated time runs this many times faster than real time.</summary>
    public double Speed { get; init; }
    /// <summary>The speed factor before the change.</summary>
    public double PreviousSpeed { get; init; }
    /// <summary>The sandbox's simulated time (UTC): the time its emulated services stamp on what they make.</summary>
    public DateTimeOffset SandboxTime { get; init; }
}
