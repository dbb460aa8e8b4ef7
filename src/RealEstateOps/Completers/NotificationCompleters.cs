using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Completers;

/// <summary>Completes the notification channel names of the context named by -Context, else the session's active context; never an error.</summary>
public sealed class NotificationChannelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        try
        {
            var context = fakeBoundParameters.Contains("Context") && fakeBoundParameters["Context"]?.ToString() is { Length: > 0 } name
                ? new ContextStore(OpsPaths.FromEnvironment()).LoadEffective(name)
                : OpsSession.LoadContext().Effective;
            return (context.NotificationChannels ?? new())
                .Select(c => c.Name)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n))
                .ToList();
        }
        catch (Exception ex) when (ex is OpsException or IOException or UnauthorizedAccessException)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
