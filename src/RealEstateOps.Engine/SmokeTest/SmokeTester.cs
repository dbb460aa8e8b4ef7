using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Engine.SmokeTest;

/// <summary>
/// Runs smoke tests: the team's suite (a script: its exit code, and its JUnit XML as typed results) and built-in checks,
/// each a request through the Kubernetes API's service proxy (<c>/api/v1/namespaces/{ns}/services/{name}:{port}/proxy/{path}</c>)
/// with the client's own authentication, so they run from an operator's machine without an ingress.
/// </summary>
public sealed class SmokeTester
{
    /// <summary>The most of a check's answer read (1 MiB).</summary>
    public const int MaxAnswerBytes = 1 << 20;

    private readonly KubeClient? _client;

    /// <param name="client">The Kubernetes client for the checks (and the kubeconfig handed to the script); null when only a script runs.</param>
    public SmokeTester(KubeClient? client) => _client = client;

    /// <summary>
    /// Runs <paramref name="script"/> (with KUBECONFIG, SMOKE_NAMESPACE and JUNIT_PATH in its environment) and reads its JUnit
    /// report. A non-zero exit with no failed case in the report adds a failed result for the script itself; an exit of 0 and
    /// no report is one passed result.
    /// </summary>
    public async Task<IReadOnlyList<SmokeTestResult>> RunScriptAsync(string script, string? junitPath, string? ns, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (!File.Exists(script))
            throw new OpsException("SmokeTestScriptNotFound", OpsErrorCategory.ObjectNotFound, $"The smoke test script '{script}' does not exist.", script, isFatal: true);
        var environment = new Dictionary<string, string?>();
        if (_client is not null) environment["KUBECONFIG"] = _client.Kubeconfig;
        if (ns is not null) environment["SMOKE_NAMESPACE"] = ns;
        // A file already at the report's path is not ours to delete (it may be the operator's): it is left as it is, and a
        // report counts only when this run wrote it (its last write time moved), so an earlier run's cannot pass for this one.
        DateTime? before = null;
        if (junitPath is not null)
        {
            environment["JUNIT_PATH"] = junitPath;
            if (File.Exists(junitPath)) before = File.GetLastWriteTimeUtc(junitPath);
        }
        var watch = Stopwatch.StartNew();
        events.Verbose($"Running {script}{(junitPath is null ? "" : $" (JUNIT_PATH={junitPath})")}.");
        ProcessResult run;
        try
        {
            run = await ProcessRunner.RunAsync(script, Array.Empty<string>(), environment, Path.GetDirectoryName(Path.GetFullPath(script)), ct).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new OpsException("SmokeTestScriptFailed", OpsErrorCategory.InvalidOperation, $"The smoke test script '{script}' could not be started ({ex.Message}): is it executable (chmod +x) with a #! line?", script, isFatal: true);
        }
        foreach (var line in run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20)) events.Verbose("script: " + line);
        var name = Path.GetFileName(script);
        var results = new List<SmokeTestResult>();
        if (junitPath is not null)
        {
            if (File.Exists(junitPath) && (before is null || File.GetLastWriteTimeUtc(junitPath) != before))
                results.AddRange(JUnitReport.Parse(await File.ReadAllTextAsync(junitPath, ct).ConfigureAwait(false), junitPath));
            else if (before is not null)
                events.Warning($"The script did not write its JUnit report at '{junitPath}' (the file there is older than this run and was left as it is); only its exit code ({run.ExitCode}) counts.");
            else events.Warning($"The script wrote no JUnit report at '{junitPath}'; only its exit code ({run.ExitCode}) counts.");
        }
        if (run.ExitCode != 0 && !results.Any(r => r.Outcome == SmokeTestOutcome.Failed))
            results.Add(new SmokeTestResult
            {
                Name = name, Suite = "script", Source = SmokeTestSource.Script, Outcome = SmokeTestOutcome.Failed, LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1),
                Message = $"exited with {run.ExitCode}" + (LastLine(run.StdErr) is { } last ? ": " + last : ""),
            });
        else if (results.Count == 0)
            results.Add(new SmokeTestResult { Name = name, Suite = "script", Source = SmokeTestSource.Script, Outcome = SmokeTestOutcome.Passed, LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1), Message = "exited with 0" });
        return results;
    }

    /// <summary>One check through the service proxy; its result says Passed or Failed and why (a transport failure is a failed check too).</summary>
    public async Task<SmokeTestResult> CheckAsync(SmokeCheck check, string ns, CancellationToken ct)
    {
        if (_client is null) throw new InvalidOperationException("Checks need a Kubernetes client.");
        var api = (k8s.Kubernetes)_client.Api;
        var checkNs = check.Namespace ?? ns;
        var service = check.Port is { Length: > 0 } port ? $"{check.Service}:{port}" : check.Service;
        var relative = check.Path.TrimStart('/');
        var uri = new Uri(api.BaseUri, $"api/v1/namespaces/{Uri.EscapeDataString(checkNs)}/services/{Uri.EscapeDataString(service)}/proxy/{relative}");
        var method = new HttpMethod(check.Method.ToUpperInvariant());
        using var request = new HttpRequestMessage(method, uri);
        if (check.Body is not null) request.Content = new StringContent(check.Body.ToJsonString(), Encoding.UTF8, "application/json");
        var watch = Stopwatch.StartNew();
        int status;
        string text;
        try
        {
            if (api.Credentials is not null) await api.Credentials.ProcessHttpRequestAsync(request, ct).ConfigureAwait(false);
            using var response = await api.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            status = (int)response.StatusCode;
            text = await Aws.AwsBody.ReadAsync(response, MaxAnswerBytes, TimeSpan.FromMinutes(1), new Aws.AwsBody.Failures(
                (size, _) => new OpsException("SmokeTestAnswerTooLarge", OpsErrorCategory.LimitsExceeded, $"The answer is larger than {MaxAnswerBytes:N0} bytes ({size:N0}).", check.Name),
                ex => KubeErrors.Timeout(ex, "Service", check.Service),
                ex => new OpsException("KubeApiUnreachable", OpsErrorCategory.ConnectionError, "The connection dropped while the answer was read.", check.Name)), ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            return Failed(check, null, watch, KubeErrors.Unreachable(ex).Message);
        }
        catch (OpsException ex)
        {
            return Failed(check, null, watch, $"{ex.ErrorId}: {ex.Message}");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException or OperationCanceledException))
        {
            return Failed(check, null, watch, "the request timed out");
        }
        var latency = Math.Round(watch.Elapsed.TotalMilliseconds, 1);
        if (status != check.ExpectedStatus)
            return Failed(check, status, watch, $"expected HTTP {check.ExpectedStatus}, got {status}" + (Shorten(text) is { Length: > 0 } said ? ": " + said : ""));
        if (check.JsonPath is { Length: > 0 } path)
        {
            JsonNode? parsed;
            try { parsed = JsonNode.Parse(text); }
            catch (JsonException) { return Failed(check, status, watch, $"the answer is not JSON: {Shorten(text)}"); }
            if (!JsonPathLite.TryEvaluate(parsed, path, out var value))
                return Failed(check, status, watch, $"no value at {path}");
            if (check.ExpectedValue is { } expected && !string.Equals(value, expected, StringComparison.Ordinal))
                return Failed(check, status, watch, $"{path} is '{value}', expected '{expected}'");
        }
        if (check.LatencyBudgetMs is { } budget && latency > budget)
            return Failed(check, status, watch, $"took {latency:0} ms, over its budget of {budget} ms");
        return new SmokeTestResult
        {
            Name = check.Name, Suite = "checks", Source = SmokeTestSource.Check, Outcome = SmokeTestOutcome.Passed, StatusCode = status, LatencyMs = latency,
            Message = $"{check.Method.ToUpperInvariant()} {service}{(check.Path.StartsWith('/') ? "" : "/")}{check.Path}",
        };
    }

    private static SmokeTestResult Failed(SmokeCheck check, int? status, Stopwatch watch, string message) => new()
    {
        Name = check.Name, Suite = "checks", Source = SmokeTestSource.Check, Outcome = SmokeTestOutcome.Failed, StatusCode = status,
        LatencyMs = Math.Round(watch.Elapsed.TotalMilliseconds, 1), Message = message,
    };

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() is { } l ? Shorten(l) : null;

    private static string Shorten(string text)
    {
        var t = text.Trim().ReplaceLineEndings(" ");
        return t.Length > 200 ? t[..200] + "..." : t;
    }
}
