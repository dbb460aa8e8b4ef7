using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json.Nodes;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Completers;

/// <summary>Live Langfuse names for completion, through the session's context and the -LangfuseUrl already typed; one attempt, two seconds at most, never an error.</summary>
internal static class LangfuseCompletion
{
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IDictionary fakeBoundParameters,
        Func<LangfuseClient, CancellationToken, Task<IEnumerable<string>>> names)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            var context = OpsSession.LoadContext();
            var url = LangfuseResolver.Url(context, fakeBoundParameters.Contains("LangfuseUrl") ? fakeBoundParameters["LangfuseUrl"]?.ToString() : null);
            using var client = LangfuseClient.Create(LangfuseResolver.Resolve(context, url), new Engine.Http.RetryPolicy { MaxAttempts = 1 }, timeout: TimeSpan.FromSeconds(2));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return names(client, cts.Token).GetAwaiter().GetResult()
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(200)
                .Select(n => new CompletionResult(n.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`') ? $"'{n.Replace("'", "''")}'" : n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException or IOException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The values of one dimension over the last 7 days of generations (one metrics query).</summary>
    public static async Task<IEnumerable<string>> DimensionAsync(LangfuseClient client, string field, CancellationToken ct)
    {
        var to = DateTimeOffset.UtcNow;
        var rows = await client.GetMetricsAsync(new JsonObject
        {
            ["view"] = "observations",
            ["metrics"] = new JsonArray(new JsonObject { ["measure"] = "count", ["aggregation"] = "count" }),
            ["dimensions"] = new JsonArray(new JsonObject { ["field"] = field }),
            ["filters"] = new JsonArray(),
            ["fromTimestamp"] = to.AddDays(-7).ToString("O"), ["toTimestamp"] = to.ToString("O"),
        }, ct).ConfigureAwait(false);
        return rows.Select(r => r[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();
    }
}

/// <summary>Completes trace names (chatbot-conversation, ...) seen in the last 7 days.</summary>
public sealed class LlmTraceNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        LangfuseCompletion.Complete(wordToComplete, fakeBoundParameters, (client, ct) => LangfuseCompletion.DimensionAsync(client, "traceName", ct));
}

/// <summary>Completes model names (gpt-4o, ...) used in the last 7 days.</summary>
public sealed class LlmModelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        LangfuseCompletion.Complete(wordToComplete, fakeBoundParameters, (client, ct) => LangfuseCompletion.DimensionAsync(client, "providedModelName", ct));
}

/// <summary>Completes dataset names.</summary>
public sealed class LlmDatasetNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        LangfuseCompletion.Complete(wordToComplete, fakeBoundParameters, async (client, ct) =>
        {
            var names = new List<string>();
            await foreach (var d in new LangfuseQueries(client).ListDatasetsAsync(100, ct).ConfigureAwait(false))
            {
                names.Add(d.Name);
                if (names.Count >= 200) break;
            }
            return names;
        });
}
