using System.Management.Automation;
using RealEstateOps.Commands.Kubernetes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.SmokeTest;

namespace RealEstateOps.Commands.SmokeTest;

/// <summary>
/// The Deployment runbook's smoke tests: the team's script (its exit code, its JUnit XML as typed results) and/or built-in
/// checks from a file, each reached through the Kubernetes API's service proxy. One SmokeTestResult per case or check; a
/// failed one is a non-terminating SmokeTestFailed error, so -ErrorAction Stop (or $?) ends a script; -JUnitPath writes
/// the results as JUnit XML (0600) for CI.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SmokeTest")]
[OutputType(typeof(SmokeTestResult))]
public sealed class InvokeSmokeTestCommand : KubeCommandBase
{
    /// <summary>The team's suite, e.g. ./run-smoke-tests.sh (executable); it gets KUBECONFIG, SMOKE_NAMESPACE and JUNIT_PATH.</summary>
    [Parameter] public string? Script { get; set; }

    /// <summary>Where the script writes its JUnit XML (passed to it as JUNIT_PATH); without it only the exit code counts.</summary>
    [Parameter] public string? ScriptJUnitPath { get; set; }

    /// <summary>A JSON file of built-in checks (service, port, path, method, expectedStatus, jsonPath, expectedValue, latencyBudgetMs).</summary>
    [Parameter] public string? CheckFile { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(Completers.NamespaceNameCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Writes every result as JUnit XML here (0600), for CI.</summary>
    [Parameter] public string? JUnitPath { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        if (Script is null && CheckFile is null)
            throw new OpsException("SmokeTestNothingToRun", OpsErrorCategory.InvalidArgument, "Give -Script (the team's suite), -CheckFile (built-in checks), or both.", null, isFatal: true);
        var checks = CheckFile is null ? null : SmokeCheckFile.Read(GetUnresolvedProviderPathFromPSPath(CheckFile));
        var client = Client();
        var tester = new SmokeTester(client);
        var results = new List<SmokeTestResult>();
        if (Script is not null)
        {
            var script = GetUnresolvedProviderPathFromPSPath(Script);
            var junit = ScriptJUnitPath is null ? null : GetUnresolvedProviderPathFromPSPath(ScriptJUnitPath);
            foreach (var r in Run(ct => tester.RunScriptAsync(script, junit, client.Namespace, Listener, ct))) Write(r, results);
        }
        foreach (var check in checks ?? Array.Empty<SmokeCheck>())
            Write(Run(ct => tester.CheckAsync(check, client.Namespace, ct)), results);
        if (JUnitPath is not null)
        {
            var path = GetUnresolvedProviderPathFromPSPath(JUnitPath);
            FileUtil.WriteAtomic(path, JUnitReport.Write(results, DateTimeOffset.UtcNow), ownerOnly: true);
            WriteVerbose($"JUnit report: {path} ({results.Count} tests, {results.Count(r => r.Outcome == SmokeTestOutcome.Failed)} failed).");
        }
        // The errors last, once the report is written: with -ErrorAction Stop the first one ends the command.
        foreach (var failed in results.Where(r => r.Outcome == SmokeTestOutcome.Failed))
            WriteError(NewErrorRecord(new OpsException("SmokeTestFailed", OpsErrorCategory.InvalidResult,
                $"Smoke test '{failed.Name}' failed: {failed.Message}", failed.Name)));
    }

    private void Write(SmokeTestResult result, List<SmokeTestResult> results)
    {
        results.Add(result);
        WriteObject(result);
    }
}
