namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What a command run in a pod printed and how it ended (its exit code from the exec API's status channel).</summary>
public sealed class PodCommandResult
{
    public string Namespace { get; init; } = "";
    public string Pod { get; init; } = "";
    public string Container { get; init; } = "";
    public string[] Command { get; init; } = Array.Empty<string>();
    public int ExitCode { get; init; }
    public string StdOut { get; init; } = "";
    public string StdErr { get; init; } = "";
    public TimeSpan Duration { get; init; }
    public bool Succeeded => ExitCode == 0;
    /// <summary>The command line as one string (journal and messages), each argument quoted when it needs it.</summary>
    public string CommandLine => PodExec.FormatCommand(Command);
}
