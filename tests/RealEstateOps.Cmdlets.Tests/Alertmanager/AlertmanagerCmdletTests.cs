using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Tests.Support;

namespace RealEstateOps.Cmdlets.Tests.Alertmanager;

/// <summary>
/// The silence cmdlets and -SilenceAlerts in a hosted runspace: a real Alertmanager behind a counting proxy (the
/// context's ServiceUrls['alertmanager']), and an in-process sandbox for the drains.
/// </summary>
public sealed class AlertmanagerCmdletTests : IAsyncLifetime
{
    private const string Node1 = "ip-10-0-1-21.ec2.internal";
    private AlertmanagerProcess _am = null!;
    private CountingProxy _proxy = null!;
    private KubeSandboxSession _sandbox = null!;
    private PsSession _s = null!;

    public async Task InitializeAsync()
    {
        _am = await AlertmanagerProcess.StartAsync();
        _proxy = new CountingProxy(_am.Url);
        _sandbox = await KubeSandboxSession.StartAsync("reo-am-", $"-Name am -ServiceUrl @{{ alertmanager = '{_proxy.Url}' }}", clockSpeed: 10);
        _s = _sandbox.Shell;
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _proxy.Dispose();
        await _am.DisposeAsync();
    }

    private List<AlertSilence> Silences() => _s.Run("Get-AlertSilence").Objects<AlertSilence>().ToList();

    [Fact]
    public void Creates_lists_and_expires_silences_journaled()
    {
        var made = _s.Run("New-AlertSilence -Matcher alertname=HighErrorRate, 'service=~\"api.*\"' -Duration 30m -Comment 'INC-7 rollback'");
        Assert.Empty(made.Errors);
        var silence = Assert.Single(made.Objects<AlertSilence>());
        Assert.Equal((AlertSilenceState.Active, "INC-7 rollback", Environment.UserName), (silence.State, silence.Comment, silence.CreatedBy));
        Assert.Equal("alertname=\"HighErrorRate\" service=~\"api.*\"", silence.MatcherText);

        var byId = _s.Run($"Get-AlertSilence -Id {silence.Id}").Objects<AlertSilence>();
        Assert.Equal(silence.Id, Assert.Single(byId).Id);
        Assert.Empty(_s.Run("Get-AlertSilence -Matcher alertname=PodRestartingOften").Output);

        var removed = _s.Run($"Get-AlertSilence -Id {silence.Id} | Remove-AlertSilence -PassThru -Confirm:$false");
        Assert.Empty(removed.Errors);
        Assert.Equal(AlertSilenceState.Expired, Assert.Single(removed.Objects<AlertSilence>()).State);
        Assert.Empty(_s.Run("Get-AlertSilence -State Active").Output);
        Assert.Single(_s.Run("Get-AlertSilence -State Expired").Objects<AlertSilence>());

        var journal = _s.Run("Get-OpsJournal").Objects<JournalEntry>().Select(e => (e.Command, e.Outcome)).ToList();
        Assert.Contains(("New-AlertSilence", JournalOutcome.Succeeded), journal);
        Assert.Contains(("Remove-AlertSilence", JournalOutcome.Succeeded), journal);
    }

    [Fact]
    public void Errors_have_their_ids_and_one_bad_id_does_not_stop_the_others()
    {
        Assert.Equal(new[] { "AlertMatcherInvalid" }, _s.Run("New-AlertSilence -Matcher alertname -Comment x").ErrorIds);
        var refused = _s.Run("New-AlertSilence -Matcher 'service=~(api' -Comment x");
        Assert.Equal(new[] { "SilenceInvalid" }, refused.ErrorIds);
        Assert.Contains("missing closing )", refused.Errors[0].Exception.Message);
        Assert.Equal(new[] { "SilenceInvalid" }, _s.Run("New-AlertSilence -Matcher 'service=~.*' -Comment x").ErrorIds);

        var a = Assert.Single(_s.Run("New-AlertSilence alertname=A -Comment x").Objects<AlertSilence>());
        var unknown = Guid.NewGuid();
        var listed = _s.Run($"Get-AlertSilence -Id {unknown}, {a.Id}");
        Assert.Equal(new[] { "SilenceNotFound" }, listed.ErrorIds);
        Assert.Equal(a.Id, Assert.Single(listed.Objects<AlertSilence>()).Id);
        var removed = _s.Run($"Remove-AlertSilence -Id {unknown}, {a.Id} -Force -PassThru");
        Assert.Equal(new[] { "SilenceNotFound" }, removed.ErrorIds);
        Assert.Equal(AlertSilenceState.Expired, Assert.Single(removed.Objects<AlertSilence>()).State);
        Assert.Equal(new[] { "AlertmanagerUnreachable" }, _s.Run("Get-AlertSilence -AlertmanagerUrl http://127.0.0.1:1").ErrorIds);
    }

    [Fact]
    public async Task Select_First_1_makes_exactly_one_list_request()
    {
        foreach (var name in new[] { "A", "B", "C" })
            Assert.Empty(_s.Run($"New-AlertSilence alertname={name} -Comment x").Errors);
        await _am.PostAlertAsync(new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "api-service" });
        await _am.PostAlertAsync(new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "auth-service" });
        var before = _proxy.Count("GET /api/v2/silences");
        Assert.Single(_s.Run("Get-AlertSilence | Select-Object -First 1").Output);
        Assert.Equal(before + 1, _proxy.Count("GET /api/v2/silences"));
        var alertsBefore = _proxy.Count("GET /api/v2/alerts");
        Assert.Single(_s.Run("Get-AlertmanagerAlert | Select-Object -First 1").Output);
        Assert.Equal(alertsBefore + 1, _proxy.Count("GET /api/v2/alerts"));
    }

    [Fact]
    public async Task A_silence_shows_on_the_alerts_it_mutes()
    {
        await _am.PostAlertAsync(new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "api-service", ["severity"] = "critical" });
        await _am.PostAlertAsync(new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["service"] = "auth-service", ["severity"] = "critical" });
        var silence = Assert.Single(_s.Run("New-AlertSilence alertname=HighErrorRate, service=api-service -Comment x").Objects<AlertSilence>());
        List<AlertmanagerAlert> muted = new();
        for (var i = 0; i < 50 && muted.Count == 0; i++)
        {
            await Task.Delay(100);
            muted = _s.Run("Get-AlertmanagerAlert -Name HighErrorRate -Silenced").Objects<AlertmanagerAlert>().ToList();
        }
        var alert = Assert.Single(muted);
        Assert.Equal(("api-service", AlertmanagerAlertState.Suppressed, silence.Id), (alert.Service, alert.State, alert.SilencedBy.Single()));
        Assert.Equal("auth-service", Assert.Single(_s.Run("Get-AlertmanagerAlert -Name HighErrorRate -State Active").Objects<AlertmanagerAlert>()).Service);
    }

    [Fact]
    public void WhatIf_makes_no_change_request()
    {
        var a = Assert.Single(_s.Run("New-AlertSilence alertname=A -Comment x").Objects<AlertSilence>());
        var posts = _proxy.Count("POST /api/v2/silences");
        var deletes = _proxy.Requests.Count(r => r.StartsWith("DELETE ", StringComparison.Ordinal));
        Assert.Empty(_s.Run("New-AlertSilence alertname=B -Comment x -WhatIf").Output);
        Assert.Empty(_s.Run($"Get-AlertSilence -Id {a.Id} | Remove-AlertSilence -WhatIf").Output);
        Assert.Equal(posts, _proxy.Count("POST /api/v2/silences"));
        Assert.Equal(deletes, _proxy.Requests.Count(r => r.StartsWith("DELETE ", StringComparison.Ordinal)));
        Assert.Equal(AlertSilenceState.Active, Assert.Single(Silences()).State);
        var whatIf = _s.Run("Get-OpsJournal").Objects<JournalEntry>().Where(e => e.Outcome == JournalOutcome.WhatIf).Select(e => e.Command).ToList();
        Assert.Equal(new[] { "New-AlertSilence", "Remove-AlertSilence" }, whatIf);
    }

    [Fact]
    public void A_drain_with_SilenceAlerts_silences_before_and_expires_after()
    {
        var r = _s.Run($"Invoke-NodeDrain {Node1} -DeleteEmptyDirData -SilenceAlerts -Confirm:$false -EvictionRetryInterval 300ms -Timeout 30s");
        Assert.Empty(r.Errors);
        Assert.Equal(NodeDrainStatus.Drained, Assert.Single(r.Objects<NodeDrainResult>()).Status);
        var silences = Silences();
        Assert.Equal(2, silences.Count);
        Assert.All(silences, s => Assert.Equal(AlertSilenceState.Expired, s.State));
        Assert.Contains(silences, s => s.Mutes(new Dictionary<string, string> { ["alertname"] = "NodeNotReady", ["node"] = Node1 }));
        Assert.Contains(silences, s => s.Mutes(new Dictionary<string, string> { ["alertname"] = "PodRestartingOften", ["namespace"] = "real-estate-ai" }));
        Assert.All(silences, s => Assert.StartsWith($"Invoke-NodeDrain of node {Node1}", s.Comment));

        // Journaled in order: the silence, the drain, then each silence's expiry.
        var journal = _s.Run("Get-OpsJournal -Command Invoke-NodeDrain").Objects<JournalEntry>().ToList();
        Assert.Equal(4, journal.Count);
        Assert.StartsWith("Silence {node=~", journal[0].Action);
        Assert.Equal(Node1, journal[1].Target);
        Assert.All(journal, e => Assert.Equal(JournalOutcome.Succeeded, e.Outcome));
        Assert.All(journal.Skip(2), e => Assert.StartsWith("Expire the maintenance silence", e.Action));
    }

    [Fact]
    public void A_failed_drain_still_expires_its_silences()
    {
        var r = _s.Run("Invoke-NodeDrain ip-10-9-9-9.ec2.internal -SilenceAlerts -Confirm:$false -Timeout 10s");
        Assert.Contains("NodeNotFound", r.ErrorIds);
        var silence = Assert.Single(Silences()); // no pods: the node's own alerts only
        Assert.Equal(AlertSilenceState.Expired, silence.State);
    }

    [Fact]
    public void WhatIf_says_what_it_would_silence_and_silences_nothing()
    {
        var posts = _proxy.Count("POST /api/v2/silences");
        var r = _s.Run($"Invoke-NodeDrain {Node1} -DeleteEmptyDirData -SilenceAlerts -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Equal(posts, _proxy.Count("POST /api/v2/silences"));
        Assert.Empty(Silences());
        var entries = _s.Run("Get-OpsJournal -Command Invoke-NodeDrain").Objects<JournalEntry>().ToList();
        Assert.All(entries, e => Assert.Equal(JournalOutcome.WhatIf, e.Outcome));
        Assert.Contains(entries, e => e.Action.StartsWith("Silence {node=~", StringComparison.Ordinal) && e.Action.Contains("alertname=~\"HighErrorRate|PodRestartingOften\"", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unreachable_Alertmanager_stops_the_drain_before_any_change()
    {
        var r = _s.Run($"Invoke-NodeDrain {Node1} -DeleteEmptyDirData -SilenceAlerts -AlertmanagerUrl http://127.0.0.1:1 -Confirm:$false");
        Assert.Contains("AlertmanagerUnreachable", r.ErrorIds);
        Assert.Empty(r.Objects<NodeDrainResult>());
        Assert.False(_s.Run($"Get-KubeNode {Node1}").Objects<KubeNode>().Single().Unschedulable);
    }
}
