using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Completers;

/// <summary>
/// Completes Set-OpsSandboxFault -Service: the services and platform services the recorded sandbox published when it
/// started (read from its record, no request), else those of the sandbox program the module ships; then * for all. Never an error.
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
            services = launcher.Recorded() is { Services.Length: > 0 } recorded
                ? recorded.Services.Concat(recorded.PlatformServices).ToList()
                : SandboxServiceNames.Shipped.Concat(SandboxServiceNames.Platform).ToList();
        }
        catch (Exception ex) when (ex is OpsException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            services = SandboxServiceNames.Shipped.Concat(SandboxServiceNames.Platform).ToList();
        }
        var prefix = wordToComplete.Trim('\'', '"');
        return services.Append(SandboxServiceNames.All)
            .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue,
                n == SandboxServiceNames.All ? "every service"
                : SandboxServiceNames.Platform.Contains(n) ? $"the platform's {n} (its synthetic traffic)"
                : $"the sandbox's {n} service"));
    }
}
