using System.Management.Automation;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands;

/// <summary>Alertmanager for every cmdlet: the URL setting, and -SilenceAlerts for the cmdlets that drain or upgrade.</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>An Alertmanager client from -AlertmanagerUrl, else the context's ServiceUrls['alertmanager'] (AlertmanagerUrlNotSet when neither).</summary>
    protected AlertmanagerClient OpenAlertmanager(string? explicitUrl)
    {
        var url = Setting(explicitUrl, "AlertmanagerUrl", c => c.ServiceUrls.TryGetValue("alertmanager", out var u) && !string.IsNullOrWhiteSpace(u) ? u : null)
                  ?? throw new OpsException("AlertmanagerUrlNotSet", OpsErrorCategory.InvalidArgument,
                      "No Alertmanager: give -AlertmanagerUrl, or set it in the context (Set-OpsContext -ServiceUrl @{ alertmanager = 'http://...:9093' }); Start-OpsSandbox sets it for the sandbox.", null, isFatal: true);
        return AlertmanagerClient.Create(url.Value, onRetry: RetryNote("Alertmanager"));
    }

    /// <summary>
    /// -SilenceAlerts: runs <paramref name="body"/> (the maintenance change) with the scope's alerts silenced. The silences
    /// are made before the change (journaled; -WhatIf says what it would silence and makes none), last until the
    /// <paramref name="kind"/> maintenance window closes when it is open now, else for <paramref name="limit"/> (the
    /// command's own time limit), and are expired when the body ends, also when it fails or is stopped (Ctrl+C).
    /// An Alertmanager that cannot be reached or refuses the silence ends the command before any change.
    /// </summary>
    protected void WithMaintenanceSilence(bool silence, string? alertmanagerUrl, MaintenanceKind kind, TimeSpan limit,
        Func<MaintenanceSilenceScope> scope, Action body)
    {
        if (!silence) { body(); return; }
        using var client = OpenAlertmanager(alertmanagerUrl);
        var silences = new AlertSilences(client);
        var what = scope();
        var now = DateTimeOffset.UtcNow;
        var window = new MaintenanceSchedule(ActiveContext).Current(kind, now);
        var endsAt = window.IsOpen ? window.End : now + limit;
        var until = window.IsOpen ? $"until the {kind} maintenance window closes ({AlertmanagerClient.Rfc3339(endsAt)})" : $"for at most {Engine.Waiting.Waiter.Format(limit)}";
        var action = $"Silence {string.Join(" and ", what.MatcherSets.Select(s => "{" + string.Join(", ", s) + "}"))} {until}, expired when {MyInvocation.MyCommand.Name} ends";
        var target = $"Alertmanager {client.BaseUrl}";
        if (IsWhatIf)
        {
            Change(target, action, () => { }); // "What if: ..." and a WhatIf journal entry; no request
            body();
            return;
        }
        var command = MyInvocation.MyCommand.Name;
        var made = Change(target, action, ct => MaintenanceSilence.StartAsync(silences, what, command, Environment.UserName, endsAt, Listener, ct), force: true)
                   ?? throw new InvalidOperationException("The maintenance silence was not made.");
        try
        {
            body();
        }
        finally
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var failures = made.EndAsync(new HostWarnings(this)).GetAwaiter().GetResult();
            foreach (var s in made.Silences)
            {
                var failed = failures.FirstOrDefault(f => f.Silence.Id == s.Id).Error;
                Journal($"silence {s.Id}", $"Expire the maintenance silence {s.MatcherText}", failed is null ? JournalOutcome.Succeeded : JournalOutcome.Failed,
                    watch.Elapsed, failed?.ErrorId, failed?.Message);
            }
        }
    }

    /// <summary>Warnings written at once to the host (the pipeline may already be stopped when a silence is expired), notes to verbose when it can.</summary>
    private sealed class HostWarnings : IProgress<OpsEvent>
    {
        private readonly OpsCommandBase _cmdlet;
        public HostWarnings(OpsCommandBase cmdlet) => _cmdlet = cmdlet;

        public void Report(OpsEvent value)
        {
            if (value is OpsNote { Level: OpsNoteLevel.Warning } warning)
            {
                try { _cmdlet.Host.UI.WriteWarningLine(warning.Message); }
                catch (Exception ex) when (ex is NotImplementedException or PSInvalidOperationException or InvalidOperationException or PipelineStoppedException) { }
                return;
            }
            if (!_cmdlet.Stopping) _cmdlet.Listener.Report(value);
        }
    }
}
