using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Completers;

/// <summary>Completes the ids of open incidents from the context's incident store (two seconds at most, one attempt; nothing on failure).</summary>
public sealed class IncidentIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            var target = IncidentStoreSettings.Resolve(OpsSession.LoadContext()).Target() with { Timeout = TimeSpan.FromSeconds(1) };
            using var store = IncidentStore.Open(target);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return Collect(new IncidentOperations(store).ListAsync(new IncidentQuery { PageSize = 200 }, cts.Token), prefix, cts.Token).GetAwaiter().GetResult();
        }
        // No Npgsql type here: the cmdlet assembly cannot load the engine's dependencies (they live in the module's load context);
        // the store's error funnel turns its failures into OpsException.
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or TimeoutException or ArgumentException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    private static async Task<List<CompletionResult>> Collect(IAsyncEnumerable<Engine.Incident.Incident> incidents, string prefix, CancellationToken ct)
    {
        var list = new List<CompletionResult>();
        await foreach (var i in incidents.WithCancellation(ct).ConfigureAwait(false))
        {
            if (!i.Id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            list.Add(new CompletionResult(i.Id, i.Id, CompletionResultType.ParameterValue, $"{i.Severity} {i.Status}: {i.Title}"));
            if (list.Count >= 200) break;
        }
        return list;
    }
}
