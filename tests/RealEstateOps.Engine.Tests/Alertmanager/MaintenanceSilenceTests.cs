using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;
using RealEstateOps.Tests.Support;

namespace RealEstateOps.Engine.Tests.Alertmanager;

/// <summary>The -SilenceAlerts helper against a real Alertmanager: all or nothing on the way in, always expired on the way out.</summary>
public sealed class MaintenanceSilenceTests : IAsyncLifetime
{
    private AlertmanagerProcess _am = null!;

    public async Task InitializeAsync() => _am = await AlertmanagerProcess.StartAsync();
    public async Task DisposeAsync() => await _am.DisposeAsync();

    private async Task<List<AlertSilence>> Listed(AlertmanagerClient client) => (await client.ListSilencesAsync(null, default)).ToList();

    [Fact]
    public async Task A_drain_scope_silences_the_nodes_and_their_namespaces_then_expires_them()
    {
        using var client = AlertmanagerClient.Create(_am.Url);
        var scope = MaintenanceSilenceScope.ForNodes(new[] { "ip-10-0-1-21.ec2.internal" }, new[] { "real-estate-ai", "monitoring" });
        var silence = await MaintenanceSilence.StartAsync(new AlertSilences(client), scope, "Invoke-NodeDrain", "tester", DateTimeOffset.UtcNow.AddHours(1), null, default);
        Assert.Equal(2, silence.Silences.Count);
        var node = new Dictionary<string, string> { ["alertname"] = "NodeNotReady", ["node"] = "ip-10-0-1-21.ec2.internal" };
        var restarts = new Dictionary<string, string> { ["alertname"] = "PodRestartingOften", ["namespace"] = "real-estate-ai", ["service"] = "api-service" };
        var elsewhere = new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["namespace"] = "other", ["service"] = "x" };
        var latency = new Dictionary<string, string> { ["alertname"] = "HighLatencyP95", ["namespace"] = "real-estate-ai" };
        Assert.Contains(silence.Silences, s => s.Mutes(node));
        Assert.Contains(silence.Silences, s => s.Mutes(restarts));
        Assert.DoesNotContain(silence.Silences, s => s.Mutes(elsewhere));
        Assert.DoesNotContain(silence.Silences, s => s.Mutes(latency));
        Assert.All(await Listed(client), s => Assert.Equal(AlertSilenceState.Active, s.State));
        Assert.All(silence.Silences, s => Assert.StartsWith("Invoke-NodeDrain of node ip-10-0-1-21.ec2.internal", s.Comment));

        Assert.Empty(await silence.EndAsync(null));
        Assert.All(await Listed(client), s => Assert.Equal(AlertSilenceState.Expired, s.State));
        Assert.Empty(await silence.EndAsync(null)); // once only
    }

    [Fact]
    public async Task A_failure_to_make_one_silence_expires_those_already_made()
    {
        using var client = AlertmanagerClient.Create(_am.Url);
        var scope = new MaintenanceSilenceScope("test", new IReadOnlyList<AlertMatcher>[]
        {
            new[] { AlertMatcher.Parse("alertname=PodRestartingOften") },
            new[] { AlertMatcher.Parse("alertname=~(broken") },
        });
        var ex = await Assert.ThrowsAsync<OpsException>(() => MaintenanceSilence.StartAsync(new AlertSilences(client), scope, "Invoke-EksUpgrade", "tester", DateTimeOffset.UtcNow.AddHours(1), null, default));
        Assert.Equal("SilenceInvalid", ex.ErrorId);
        var first = Assert.Single(await Listed(client));
        Assert.Equal(AlertSilenceState.Expired, first.State);
    }

    [Fact]
    public async Task Ending_when_Alertmanager_is_gone_reports_and_does_not_throw()
    {
        using var client = AlertmanagerClient.Create(_am.Url, new RealEstateOps.Engine.Http.RetryPolicy { MaxAttempts = 1 });
        var silence = await MaintenanceSilence.StartAsync(new AlertSilences(client), MaintenanceSilenceScope.ForCluster("cluster c", Array.Empty<string>()),
            "Invoke-EksUpgrade", "tester", DateTimeOffset.UtcNow.AddHours(1), null, default);
        await _am.DisposeAsync();
        var notes = new List<OpsEvent>();
        var failures = await silence.EndAsync(new Progress(notes), TimeSpan.FromSeconds(5));
        var failure = Assert.Single(failures);
        Assert.Equal("AlertmanagerUnreachable", failure.Error.ErrorId);
        var warning = Assert.Single(notes.OfType<OpsNote>(), n => n.Level == OpsNoteLevel.Warning);
        Assert.Contains($"Remove-AlertSilence -Id {failure.Silence.Id}", warning.Message);
    }

    private sealed class Progress(List<OpsEvent> events) : IProgress<OpsEvent>
    {
        public void Report(OpsEvent value) { lock (events) events.Add(value); }
    }
}
