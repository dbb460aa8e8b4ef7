namespace RealEstateOps.Engine.Sandbox;

/// <summary>The names of the sandbox's emulated services, as Set-OpsSandboxFault -Service takes them.</summary>
public static class SandboxServiceNames
{
    /// <summary>Every service at once.</summary>
    public const string All = "*";

    /// <summary>
    /// The services of the sandbox program shipped with the module, for when no sandbox is recorded (a running one
    /// publishes its own list, <see cref="SandboxInstance.Services"/>). A test holds this to the program's real list.
    /// </summary>
    public static IReadOnlyList<string> Shipped { get; } = new[] { "s3", "kubernetes", "rds", "eks", "langfuse" };
}
