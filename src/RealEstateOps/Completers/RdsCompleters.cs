using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Completers;

/// <summary>Live RDS names for completion, through the session's context and the -Region/-ProfileName/-EndpointUrl already typed; a second at most.</summary>
internal static class RdsCompletion
{
    /// <param name="instanceFromContext">Whether the instance the names belong to defaults to the context's DbInstanceId when no -DbInstanceId was typed.</param>
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters,
        Func<RdsOperations, string, CancellationToken, IAsyncEnumerable<string>> names, bool instanceFromContext = false) =>
        Complete(wordToComplete, fakeBoundParameters, (IRdsClient client, string instance, CancellationToken ct) => names(new RdsOperations(client), instance, ct), instanceFromContext);

    /// <summary>As the other overload, with the RDS client itself (for operations other than <see cref="RdsOperations"/>).</summary>
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters,
        Func<IRdsClient, string, CancellationToken, IAsyncEnumerable<string>> names, bool instanceFromContext = false)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            string? Bound(string name) => fakeBoundParameters.Contains(name) ? fakeBoundParameters[name]?.ToString() : null;
            var context = OpsSession.LoadContext();
            var target = AwsResolver.Resolve("rds", new AwsParameters(Bound("Region"), Bound("ProfileName"), Bound("EndpointUrl")), context);
            using var client = RdsClient.Create(target, new Engine.Http.RetryPolicy { MaxAttempts = 1 });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var instance = Bound("DbInstanceId") ?? (instanceFromContext ? context.Effective.DbInstanceId : null) ?? "";
            return Collect(names(client, instance, cts.Token), prefix, cts.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    private static async Task<List<CompletionResult>> Collect(IAsyncEnumerable<string> names, string prefix, CancellationToken ct)
    {
        var list = new List<CompletionResult>();
        await foreach (var n in names.WithCancellation(ct).ConfigureAwait(false))
        {
            if (!n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var text = n.Contains(':') ? $"'{n}'" : n;
            list.Add(new CompletionResult(text, n, CompletionResultType.ParameterValue, n));
            if (list.Count >= 200) break;
        }
        return list;
    }
}

/// <summary>Completes DB instance ids from DescribeDBInstances.</summary>
public sealed class DbInstanceIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        RdsCompletion.Complete(wordToComplete, fakeBoundParameters, (rds, _, ct) => Names(rds, ct));

    private static async IAsyncEnumerable<string> Names(RdsOperations rds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var i in rds.GetInstancesAsync(new InstanceQuery(), ct).ConfigureAwait(false)) yield return i.DbInstanceId;
    }
}

/// <summary>Completes snapshot ids from DescribeDBSnapshots, of the -DbInstanceId already typed when there is one.</summary>
public sealed class DbSnapshotIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        RdsCompletion.Complete(wordToComplete, fakeBoundParameters, Names);

    private static async IAsyncEnumerable<string> Names(RdsOperations rds, string instance, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var query = new SnapshotQuery { DbInstanceId = string.IsNullOrEmpty(instance) ? null : instance };
        await foreach (var s in rds.GetSnapshotsAsync(query, ct).ConfigureAwait(false)) yield return s.SnapshotId;
    }
}

/// <summary>Completes log file names from DescribeDBLogFiles, of the -DbInstanceId already typed, else the context's instance.</summary>
public sealed class DbLogFileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        RdsCompletion.Complete(wordToComplete, fakeBoundParameters, Names, instanceFromContext: true);

    private static async IAsyncEnumerable<string> Names(RdsOperations rds, string instance, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (string.IsNullOrEmpty(instance)) yield break;
        await foreach (var f in rds.GetLogFilesAsync(instance, null, ct).ConfigureAwait(false)) yield return f.LogFileName;
    }
}

/// <summary>Completes pending maintenance action names from DescribePendingMaintenanceActions, of the -DbInstanceId already typed when there is one.</summary>
public sealed class DbPendingActionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        RdsCompletion.Complete(wordToComplete, fakeBoundParameters, (IRdsClient rds, string instance, CancellationToken ct) => Names(rds, instance, ct));

    private static async IAsyncEnumerable<string> Names(IRdsClient rds, string instance, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var query = new DbPendingMaintenanceQuery { DbInstanceIds = string.IsNullOrEmpty(instance) ? Array.Empty<string>() : new[] { instance } };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var a in new DbPendingMaintenanceOperations(rds).ListAsync(query, ct).ConfigureAwait(false))
            if (seen.Add(a.Action)) yield return a.Action;
    }
}
