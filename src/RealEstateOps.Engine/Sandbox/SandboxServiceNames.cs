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
    public static IReadOnlyList<string> Shipped { get; } = new[] { "s3", "kubernetes", "rds", "eks", "langfuse", "argocd", "notifications", "ec2" };

    /// <summary>
    /// The platform services whose synthetic traffic the sandbox's metrics follow, fault targets too (an error rate there
    /// turns that share of their requests into 5xx), for when no sandbox is recorded. A test holds this to the program's list.
    /// </summary>
    public static IReadOnlyList<string> Platform { get; } = new[] { "api-service", "auth-service", "llm-service", "chatbot-service", "proposal-service" };
}
