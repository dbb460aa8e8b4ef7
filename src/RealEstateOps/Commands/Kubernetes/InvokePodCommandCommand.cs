using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// kubectl exec: runs a command in a pod (or a Ready pod of a deployment) over the exec API and returns what it printed
/// and its exit code. It reads rather than changes, so it asks no confirmation; since it runs in production pods, every run
/// is journaled (command line, pod, exit code). A non-zero exit code is a non-terminating PodCommandFailed error after the
/// result, unless -IgnoreExitCode.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "PodCommand", DefaultParameterSetName = "Pod")]
[OutputType(typeof(PodCommandResult))]
public sealed class InvokePodCommandCommand : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Pod", ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string Pod { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "Deployment")]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string Deployment { get; set; } = "";

    /// <summary>The program and its arguments (never run through a shell unless it is one: -Command sh, -c, 'pg_isready -h $DB_HOST').</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string[] Command { get; set; } = Array.Empty<string>();

    [Parameter(ValueFromPipelineByPropertyName = true)] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] [Alias("c")] public string? Container { get; set; }
    [Parameter] [Duration] [Alias("TimeoutSec")] public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A non-zero exit code is only in the result (ExitCode, Succeeded), not also an error: for commands whose exit code is an answer.</summary>
    [Parameter] public SwitchParameter IgnoreExitCode { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = new PodCommandRequest
        {
            Namespace = Namespace ?? client.Namespace, Pod = ParameterSetName == "Pod" ? Pod : null, Deployment = ParameterSetName == "Deployment" ? Deployment : null,
            Container = Container, Command = Command, Timeout = Timeout,
        };
        var where = request.Pod is not null ? $"pod/{request.Pod}" : $"deployment/{request.Deployment}";
        var target = $"{where} in {request.Namespace}";
        var action = "Exec: " + PodExec.FormatCommand(Command);
        var watch = Stopwatch.StartNew();
        PodCommandResult result;
        try
        {
            result = Run(ct => new PodExec(client).RunAsync(request, ct));
        }
        catch (OpsException ex)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, ex.ErrorId, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or PipelineStoppedException)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, "OperationStopped", "Stopped before the command ended.");
            throw;
        }
        target = $"pod/{result.Pod} ({result.Container}) in {result.Namespace}";
        var exit = $"exit code {result.ExitCode}";
        if (result.Succeeded) Journal(target, action, JournalOutcome.Succeeded, watch.Elapsed, message: exit);
        else Journal(target, action, JournalOutcome.Failed, watch.Elapsed, "PodCommandFailed", exit);
        WriteObject(result);
        if (!result.Succeeded && !IgnoreExitCode)
            WriteError(NewErrorRecord(new OpsException("PodCommandFailed", OpsErrorCategory.InvalidResult,
                $"'{result.CommandLine}' in pod '{result.Pod}' (container '{result.Container}') ended with exit code {result.ExitCode}" +
                (result.StdErr.Trim() is { Length: > 0 } err ? $": {Truncate(err)}" : "."), result.Pod)));
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
