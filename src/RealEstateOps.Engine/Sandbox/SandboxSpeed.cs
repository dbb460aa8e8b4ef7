using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>
/// The sandbox clock's speed factor: simulated time runs this many times faster than real time (at 1, a
/// snapshot takes the 2 minutes it takes on AWS and a restore 7; at 60, 2 and 7 seconds). The same rule for
/// Start-OpsSandbox -Speed, Set-OpsSandboxClock -Speed and the sandbox's own /_sandbox/clock.
/// </summary>
public static class SandboxSpeed
{
    public const double Max = 10_000;

    public static bool IsValid(double speed) => speed > 0 && speed <= Max && !double.IsNaN(speed);

    /// <summary>Refuses a speed that is not greater than 0 and at most <see cref="Max"/> (SandboxSpeedInvalid).</summary>
    public static void Validate(double speed)
    {
        if (!IsValid(speed))
            throw new OpsException("SandboxSpeedInvalid", OpsErrorCategory.InvalidArgument, $"Speed {speed} is not valid: use a factor greater than 0 and at most {Max}.", speed);
    }
}
