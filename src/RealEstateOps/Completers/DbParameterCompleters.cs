using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Completers;

/// <summary>Completes parameter names of the -ParameterGroupName already typed, else of the instance's group (-DbInstanceId, else the context's).</summary>
public sealed class DbParameterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var group = fakeBoundParameters.Contains("ParameterGroupName") ? fakeBoundParameters["ParameterGroupName"]?.ToString() : null;
        return RdsCompletion.Complete(wordToComplete, fakeBoundParameters, (IRdsClient rds, string instance, CancellationToken ct) => Names(rds, group, instance, ct), instanceFromContext: true);
    }

    private static async IAsyncEnumerable<string> Names(IRdsClient rds, string? group, string instance, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var query = new DbParameterQuery { GroupName = group, DbInstanceId = string.IsNullOrEmpty(instance) ? null : instance };
        await foreach (var p in new DbParameterOperations(rds).GetParametersAsync(query, ct).ConfigureAwait(false)) yield return p.Name;
    }
}

/// <summary>Completes DB parameter group names from DescribeDBParameterGroups (custom groups first: the default ones cannot be modified).</summary>
public sealed class DbParameterGroupNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        RdsCompletion.Complete(wordToComplete, fakeBoundParameters, (IRdsClient rds, string _, CancellationToken ct) => Names(rds, ct));

    private static async IAsyncEnumerable<string> Names(IRdsClient rds, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var defaults = new List<string>();
        await foreach (var g in new DbParameterOperations(rds).GetGroupsAsync(ct).ConfigureAwait(false))
            if (g.IsDefault) defaults.Add(g.Name);
            else yield return g.Name;
        foreach (var d in defaults) yield return d;
    }
}

/// <summary>Completes common RDS instance classes for PostgreSQL (a fixed list: RDS has no cheap live source for them).</summary>
public sealed class DbInstanceClassCompleter : IArgumentCompleter
{
    public static readonly string[] Classes =
    {
        "db.t4g.medium", "db.t4g.large", "db.m6g.large", "db.m6g.xlarge", "db.m6g.2xlarge", "db.m6i.large", "db.m6i.xlarge", "db.m6i.2xlarge",
        "db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge", "db.r6g.4xlarge", "db.r6i.large", "db.r6i.xlarge", "db.r6i.2xlarge",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return Classes.Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(c => new CompletionResult(c, c, CompletionResultType.ParameterValue, c));
    }
}
