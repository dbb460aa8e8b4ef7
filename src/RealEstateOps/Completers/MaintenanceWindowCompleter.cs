using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Completers;

/// <summary>
/// Completes Set-OpsContext's -DatabaseWindow, -KubernetesWindow and -ApplicationWindow: the active context's rule, the
/// runbook's rule, and a few common forms, quoted; never an error.
/// </summary>
public sealed class MaintenanceWindowCompleter : IArgumentCompleter
{
    private static readonly string[] Forms = { "Sun 01:00-03:00", "LastSat 01:00-05:00", "Tue,Thu 22:00-23:00", "Mon-Fri 22:00-23:00", "Daily 00:00-24:00" };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var candidates = new List<(string Value, string Tip)>();
        if (Enum.TryParse<MaintenanceKind>(parameterName.Replace("Window", "", StringComparison.OrdinalIgnoreCase), true, out var kind))
        {
            try
            {
                if (MaintenanceSchedule.Select(OpsSession.LoadContext().Effective, kind) is { } current) candidates.Add((current, $"The active context's {kind} window"));
            }
            catch (OpsException) { /* an unreadable context: the other candidates still help */ }
            if (MaintenanceSchedule.Select(OpsContext.BuiltInDefault(), kind) is { } builtIn) candidates.Add((builtIn, $"The runbook's {kind} window"));
        }
        candidates.AddRange(Forms.Select(f => (f, "A window rule: DAYS HH:MM-HH:MM [ZONE]")));
        var prefix = wordToComplete.Trim('\'', '"');
        return candidates
            .DistinctBy(c => c.Value, StringComparer.OrdinalIgnoreCase)
            .Where(c => c.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult($"'{c.Value}'", c.Value, CompletionResultType.ParameterValue, c.Tip));
    }
}
