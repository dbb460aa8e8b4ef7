using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Completers;

/// <summary>Completes Argo CD application names: one list request through the session's context and the -Server/-TokenFile typed, two seconds at most, never an error.</summary>
public sealed class ArgoApplicationNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            var context = OpsSession.LoadContext();
            var target = ArgoResolver.Resolve(context, fakeBoundParameters["Server"]?.ToString(), fakeBoundParameters["TokenFile"]?.ToString(),
                fakeBoundParameters["Insecure"] is { } insecure && LanguagePrimitives.IsTrue(insecure));
            using var client = ArgoClient.Create(target, new Engine.Http.RetryPolicy { MaxAttempts = 1 }, timeout: TimeSpan.FromSeconds(2));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            return new ArgoQueries(client).NamesAsync(cts.Token).GetAwaiter().GetResult()
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(200)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception ex) when (ex is OpsException or OperationCanceledException or HttpRequestException or TimeoutException or IOException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
