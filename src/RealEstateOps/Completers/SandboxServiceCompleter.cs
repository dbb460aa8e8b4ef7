using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Completers;

/// <summary>
/// Completes Set-OpsSandboxFault -Service: the services the recorded sandbox published when it started (read from its
/// record, no request), else those of the sandbox program the module ships; then * for all. Never an error.
/// </summary>
public sealed class SandboxServiceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<string> services;
        try
        {
            using var launcher = new SandboxLauncher(OpsPaths.FromEnvironment());
            services = launcher.Recorded()?.Services is { Length: > 0 } published ? published : SandboxServiceNames.Shipped;
        }
        catch (Exception ex) when (ex is OpsException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            services = SandboxServiceNames.Shipped;
        }
        var prefix = wordToComplete.Trim('\'', '"');
        return services.Append(SandboxServiceNames.All)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue,
                n == SandboxServiceNames.All ? "every service" : $"the sandbox's {n} service"));
    }
}
