using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Completers;

/// <summary>Completes the names of stored contexts (and the built-in default).</summary>
public sealed class ContextNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = wordToComplete.Trim('\'', '"');
        return new ContextStore(OpsPaths.FromEnvironment()).ListNames()
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
    }
}

/// <summary>Completes context setting names for Set-OpsContext -Clear.</summary>
public sealed class ContextSettingCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ContextSettings.Names.Where(n => n.StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
}
