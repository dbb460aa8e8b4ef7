using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Canary;

/// <summary>
/// Steps a canary through its weights with metric gates, as Flagger's and Argo Rollouts' analyses do: for each step it sets
/// the weight, holds -Interval, then reads the canary's (and stable's) request success rate and p95 latency from Prometheus
/// over the interval (and the LLM error rate from Langfuse with -IncludeLlmErrorRate). No data is a failed check; a failed
/// check holds the weight and checks again; -FailureLimit failed checks roll the canary back (as Stop-Canary); the last
/// step passing promotes it (as Complete-Canary) unless -NoPromote. Every weight change, check and verdict is journaled.
/// </summary>
[Cmdlet(VerbsCommon.Step, "Canary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CanaryResult))]
public sealed class StepCanaryCommand : CanaryCommandBase
{
    private readonly OwnedClient<PromClient> _prometheus = new();
    private readonly OwnedClient<LangfuseClient> _langfuse = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CanaryNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Deployment { get; set; } = "";

    /// <summary>The canary's weights, in order; the last is usually 100.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    [ValidateCount(1, 100)]
    public int[] Steps { get; set; } = { 10, 25, 50, 100 };

    /// <summary>How long each weight is held before its check; the check reads this window.</summary>
    [Parameter] [Duration] public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed checks after which the canary is rolled back.</summary>
    [Parameter] [ValidateRange(1, 100)] public int FailureLimit { get; set; } = 2;

    /// <summary>The least share of the canary's requests not answered 5xx, in percent.</summary>
    [Parameter] [ValidateRange(0.0, 100.0)] public double MinSuccessRate { get; set; } = 99;

    /// <summary>The greatest p95 latency of the canary; defaults to the context's LatencyP95ThresholdMs, else 1000.</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int? MaxLatencyP95Ms { get; set; }

    /// <summary>Also gate on the LLM error rate (error share of recent Langfuse generations).</summary>
    [Parameter] public SwitchParameter IncludeLlmErrorRate { get; set; }

    [Parameter] [ValidateRange(0.0, 100.0)] public double MaxLlmErrorRatePercent { get; set; } = 5;

    /// <summary>Leave the canary at its last weight when every step passed (verdict Holding) instead of promoting it.</summary>
    [Parameter] public SwitchParameter NoPromote { get; set; }

    /// <summary>How long the stable Deployment's rollout may take when the canary is promoted.</summary>
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    [Parameter] public string? PrometheusUrl { get; set; }

    [Parameter] public string? LangfuseUrl { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = NamespaceOf(client);
        var objects = new CanaryObjects(client);
        var target = TargetOf(Deployment, ns);
        var latency = ActiveContext.Resolve(MaxLatencyP95Ms, nameof(MaxLatencyP95Ms), c => c.LatencyP95ThresholdMs);
        var gate = new CanaryGate
        {
            MinSuccessRatePercent = MinSuccessRate,
            MaxLatencyP95Ms = latency?.Value ?? 1000,
            MaxLlmErrorRatePercent = IncludeLlmErrorRate ? MaxLlmErrorRatePercent : null,
        };
        WriteVerbose($"Gate: success rate at least {gate.MinSuccessRatePercent.ToString(CultureInfo.InvariantCulture)}%, p95 at most {gate.MaxLatencyP95Ms} ms (from {latency?.Source ?? "the default"})" +
                     (gate.MaxLlmErrorRatePercent is { } llm ? $", LLM error rate at most {llm.ToString(CultureInfo.InvariantCulture)}%" : "") + $"; {FailureLimit} failed check(s) roll back.");
        var analysis = new CanaryAnalysis(Steps, FailureLimit, gate);

        if (IsWhatIf)
        {
            // The plan, journaled as WhatIf: nothing is read, no weight is set, nothing is measured.
            foreach (var w in Steps) Change(target, $"Set canary weight to {w}%", ct => objects.SetWeightAsync(ns, Deployment, w, ct), Force);
            Change(target, NoPromote ? "Hold the canary at its last weight" : "Promote canary (stable takes the canary's image, all traffic on stable, canary removed)",
                ct => objects.CompleteAsync(ns, Deployment, Timeout, null, Listener, ct), Force);
            return;
        }

        var start = Run(ct => objects.GetAsync(ns, Deployment, ct));
        if (start.Phase is not (CanaryPhase.Started or CanaryPhase.Progressing))
            throw new OpsException("CanaryNotRunning", OpsErrorCategory.InvalidOperation, $"The canary of deployment '{Deployment}' in namespace '{ns}' is {start.Phase}: start a new one with Start-Canary.", Deployment);

        var prometheus = _prometheus.Get(() => OpenPrometheus(PrometheusUrl));
        LangfuseClient? langfuse = null;
        if (IncludeLlmErrorRate)
            langfuse = _langfuse.Get(() => OpenLangfuse(LangfuseUrl));
        var metrics = new CanaryMetrics(new PromQueries(prometheus), langfuse is null ? null : new LangfuseQueries(langfuse));

        var watch = Stopwatch.StartNew();
        var weight = start.Weight;
        CanaryVerdict verdict;
        string? reason = null;
        string? image = start.CanaryImage;
        while (true)
        {
            var step = analysis.Weight;
            if (step != weight)
            {
                if (Change(target, $"Set canary weight to {step}% (stable {100 - step}%)", ct => objects.SetWeightAsync(ns, Deployment, step, ct), Force) is null)
                {
                    verdict = CanaryVerdict.Holding;
                    reason = $"the weight change to {step}% was declined";
                    break;
                }
                weight = step;
            }
            Run(ct => objects.HoldAsync(ns, Deployment, Interval, WaitProgress(), ct));
            var checkWatch = Stopwatch.StartNew();
            var measurement = Run(ct => metrics.MeasureAsync(ns, Deployment, Interval, IncludeLlmErrorRate, Listener, ct));
            var decision = analysis.Record(measurement);
            var check = analysis.Last!;
            Run(ct => objects.RecordCheckAsync(ns, Deployment, check, analysis.Passed, analysis.Failed, ct));
            Journal(target, $"Canary check {check.Number} at {check.Weight}%: {(check.Passed ? "passed" : "failed")}",
                check.Passed ? JournalOutcome.Succeeded : JournalOutcome.Failed, checkWatch.Elapsed, check.Passed ? null : "CanaryCheckFailed", check.Summary);
            WriteVerbose($"Check {check.Number} at {check.Weight}%: {(check.Passed ? "passed" : "failed")} ({check.Summary}).");
            if (!check.Passed) WriteWarning($"Canary check {check.Number} at {check.Weight}% failed ({analysis.Failed} of {FailureLimit}): {string.Join("; ", check.Reasons)}.");

            if (decision == CanaryDecision.RollBack)
            {
                reason = $"{analysis.Failed} failed checks: {string.Join("; ", check.Reasons)}";
                Change(target, "Roll back canary (all traffic to stable, canary removed)", ct => objects.StopAsync(ns, Deployment, reason, Listener, ct), force: true);
                verdict = CanaryVerdict.RolledBack;
                weight = 0;
                break;
            }
            if (decision == CanaryDecision.Finish)
            {
                if (NoPromote)
                {
                    verdict = CanaryVerdict.Holding;
                    reason = "every step passed; -NoPromote leaves the canary at its last weight";
                    break;
                }
                var promoted = Change(target, "Promote canary (stable takes the canary's image, all traffic on stable, canary removed)",
                    ct => objects.CompleteAsync(ns, Deployment, Timeout, WaitProgress(), Listener, ct), force: true);
                verdict = promoted is null ? CanaryVerdict.Holding : CanaryVerdict.Promoted;
                image = promoted?.StableImage ?? image;
                reason = promoted is null ? "the promotion was declined" : null;
                break;
            }
        }
        var last = analysis.Last;
        Journal(target, $"Canary verdict: {verdict}", verdict == CanaryVerdict.RolledBack ? JournalOutcome.Failed : JournalOutcome.Succeeded, watch.Elapsed,
            verdict == CanaryVerdict.RolledBack ? "CanaryRolledBack" : null,
            $"{verdict} after {analysis.Passed} passed and {analysis.Failed} failed checks" + (reason is null ? "" : $" ({reason})") + (last is null ? "" : $"; last: {last.Summary}"));
        WriteObject(new CanaryResult
        {
            Namespace = ns, Deployment = Deployment, Verdict = verdict, Weight = weight, ChecksPassed = analysis.Passed, ChecksFailed = analysis.Failed,
            CanarySuccessRate = last?.CanarySuccessRate, StableSuccessRate = last?.StableSuccessRate, CanaryP95Ms = last?.CanaryP95Ms, StableP95Ms = last?.StableP95Ms,
            LlmErrorRatePercent = last?.LlmErrorRatePercent, Image = image, Reason = reason, Checks = analysis.Checks.ToArray(), Duration = watch.Elapsed,
        });
    }

    protected override void ReleaseResources()
    {
        _prometheus.Release();
        _langfuse.Release();
        base.ReleaseResources();
    }
}
