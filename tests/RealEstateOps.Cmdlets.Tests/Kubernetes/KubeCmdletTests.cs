using System.Text.Json.Nodes;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Kubernetes;

/// <summary>The Kubernetes cmdlets in a hosted runspace, against a fresh in-process sandbox per test.</summary>
public sealed class KubeCmdletTests : IAsyncLifetime
{
    private const string Node1 = "ip-10-0-1-21.ec2.internal";
    private KubeSandboxSession _sandbox = null!;
    private SandboxHost _host = null!;
    private string _state = "";
    private PsSession _s = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await KubeSandboxSession.StartAsync("reo-kube-", "-Name k8s", clockSpeed: 10);
        (_host, _state, _s, _http) = (_sandbox.Host, _sandbox.State, _sandbox.Shell, _sandbox.Http);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<JsonObject> OperationsAsync() => JsonNode.Parse(await _http.GetStringAsync("_sandbox/requests"))!["operations"]!.AsObject();

    private async Task<long> MutationsAsync() =>
        (await OperationsAsync()).Where(kv => kv.Key.StartsWith("kubernetes:", StringComparison.Ordinal) && !kv.Key.StartsWith("kubernetes:GET", StringComparison.Ordinal))
            .Sum(kv => kv.Value!.GetValue<long>());

    [Fact]
    public async Task Lists_stream_pages_and_stop_when_the_pipeline_stops()
    {
        var all = _s.Run("Get-KubePod -PageSize 2");
        Assert.Empty(all.Errors);
        Assert.Equal(13, all.Objects<KubePod>().Count());
        await _http.DeleteAsync("_sandbox/requests");
        var open = RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients;
        var first = _s.Run("Get-KubePod -PageSize 2 | Select-Object -First 2");
        Assert.Equal(2, first.Objects<KubePod>().Count());
        // 7 pages in all; the pipeline stopped within the first, so the second was never asked for.
        await StoppedCommandsEndedAsync(open);
        Assert.Equal(1, (await OperationsAsync())["kubernetes:GET pods"]!.GetValue<long>());

        var nodes = _s.Run("Get-KubeNode -NodeGroup standard-nodes").Objects<KubeNode>().ToList();
        Assert.Equal(3, nodes.Count);
        Assert.All(nodes, n => Assert.Equal("Ready", n.Status));
        Assert.Equal(new[] { "NodeNotFound" }, _s.Run("Get-KubeNode nope").ErrorIds);
        Assert.Equal(new[] { "NamespaceNotFound" }, _s.Run("Get-KubeDeployment -Namespace nope").ErrorIds);
        Assert.Equal(new[] { "KubeconfigNotFound" }, _s.Run("Get-KubePod -Kubeconfig /nonexistent/kubeconfig").ErrorIds);
    }

    /// <summary>Waits until every command a pipeline stop abandoned has wound down and released its client, so that whatever it was still sending has arrived.</summary>
    private static async Task StoppedCommandsEndedAsync(int open)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients != open && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(open, RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients);
    }

    [Theory]
    [InlineData("Get-KubePod -PageSize 1", "kubernetes:GET pods")]
    [InlineData("Get-KubePod -AllNamespaces -PageSize 1", "kubernetes:GET pods")]
    [InlineData("Get-KubeNode -PageSize 1", "kubernetes:GET nodes")]
    [InlineData("Get-KubeDeployment -PageSize 1", "kubernetes:GET deployments")]
    [InlineData("Get-KubeService -PageSize 1", "kubernetes:GET services")]
    public async Task Select_First_1_makes_exactly_one_list_request(string command, string operation)
    {
        var all = _s.Run(command);
        Assert.Empty(all.Errors);
        Assert.True(all.Output.Count > 1, $"{command}: {all.Output.Count} item(s), too few for a second page");
        await _http.DeleteAsync("_sandbox/requests");
        var open = RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients;
        var first = _s.Run(command + " | Select-Object -First 1");
        Assert.Empty(first.Errors);
        Assert.Single(first.Output);
        await StoppedCommandsEndedAsync(open);
        Assert.Equal(1, (await OperationsAsync())[operation]?.GetValue<long>());
    }

    [Fact]
    public async Task Drain_WhatIf_lists_the_plan_and_changes_nothing()
    {
        await _http.DeleteAsync("_sandbox/requests");
        var r = _s.Run($"Invoke-NodeDrain {Node1} -DeleteEmptyDirData -WhatIf");
        Assert.Empty(r.Errors);
        var plan = Assert.Single(r.Objects<NodeDrainResult>());
        Assert.Equal(NodeDrainStatus.WhatIf, plan.Status);
        Assert.Equal(4, plan.Evicted.Length);
        Assert.Equal("api-service-pdb", Assert.Single(plan.BlockingBudgets).Budget);
        Assert.Equal(0, await MutationsAsync());
        Assert.Equal(JournalOutcome.WhatIf, Assert.Single(_s.Run("Get-OpsJournal -Command Invoke-NodeDrain").Objects<JournalEntry>()).Outcome);
    }

    [Fact]
    public async Task Drain_reports_per_node_and_journals_and_refusals_are_errors_with_the_result()
    {
        var refused = _s.Run($"Invoke-NodeDrain {Node1} -Confirm:$false");
        Assert.Equal(new[] { "DrainPodsNotHandled" }, refused.ErrorIds);
        Assert.Equal(NodeDrainStatus.Refused, Assert.Single(refused.Objects<NodeDrainResult>()).Status);

        await _http.DeleteAsync("_sandbox/requests");
        var r = _s.Run($"Get-KubeNode {Node1} | Invoke-NodeDrain -DeleteEmptyDirData -Confirm:$false -EvictionRetryInterval 300ms -Timeout 20s -Verbose");
        Assert.Empty(r.Errors);
        var result = Assert.Single(r.Objects<NodeDrainResult>());
        Assert.Equal(NodeDrainStatus.Drained, result.Status);
        Assert.Equal(4, result.Evicted.Length);
        Assert.Contains(r.Verbose, v => v.Contains("disruption budget api-service-pdb", StringComparison.Ordinal));
        var journal = _s.Run("Get-OpsJournal -Command Invoke-NodeDrain").Objects<JournalEntry>().Select(e => (e.Outcome, e.ErrorId)).ToList();
        Assert.Equal(new[] { (JournalOutcome.Failed, (string?)"DrainPodsNotHandled"), (JournalOutcome.Succeeded, (string?)null) }, journal);

        Assert.Equal("Ready", Assert.Single(_s.Run($"uncordon {Node1} -Confirm:$false").Objects<KubeNode>()).Status);
        Assert.Equal("Ready,SchedulingDisabled", Assert.Single(_s.Run($"cordon {Node1} -Confirm:$false").Objects<KubeNode>()).Status);
        Assert.Equal(new[] { "Uncordon node (mark schedulable)", "Cordon node (mark unschedulable)" },
            _s.Run("Get-OpsJournal -Command Enable-NodeScheduling, Disable-NodeScheduling").Objects<JournalEntry>().Select(e => e.Action));
        // The drain went through the eviction API, once per evicted pod and again for the pod its budget refused.
        var evictions = JsonNode.Parse(await _http.GetStringAsync("_sandbox/requests"))!["objects"]!["kubernetes:POST pods/{name}/eviction"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<long>());
        Assert.Equal(result.Evicted.Select(p => p.Namespace + "/" + p.Name).Order(StringComparer.Ordinal), evictions.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(evictions, kv => kv.Key.Contains("/api-service-", StringComparison.Ordinal) && kv.Value > 1);
    }

    [Fact]
    public async Task Db_secret_binds_a_piped_instance_and_never_shows_the_password()
    {
        var r = _s.Run("""
            $cred = [pscredential]::new('real_estate_app', (ConvertTo-SecureString 'Very$ecret-123' -AsPlainText -Force))
            [pscustomobject]@{ DBInstanceIdentifier = 'real-estate-ai-db-restored'; Address = 'restored.abc.us-east-1.rds.amazonaws.com'; Port = 5433 } |
                Set-DbConnectionSecret -Credential $cred -Database real_estate_ai -PassThru -Confirm:$false -Verbose
            """);
        Assert.Empty(r.Errors);
        var secret = Assert.Single(r.Objects<DbConnectionSecret>());
        Assert.Equal("restored.abc.us-east-1.rds.amazonaws.com", secret.Host);
        Assert.Equal(5433, secret.Port);
        Assert.Equal(DbSecretAction.Updated, secret.Action);
        Assert.DoesNotContain(r.Verbose, v => v.Contains("Very$ecret", StringComparison.Ordinal));
        Assert.DoesNotContain("Very$ecret", File.ReadAllText(_s.JournalFile));
        // What the emitted object shows on screen, in its default view and with every property.
        var shown = string.Join("\n", _s.Run("$out | Out-String -Width 300; $out | Format-List * | Out-String -Width 300", new Dictionary<string, object?> { ["out"] = r.Output }).Output);
        Assert.Contains("restored.abc.us-east-1.rds.amazonaws.com", shown);
        Assert.Contains("real_estate_app", shown);
        Assert.DoesNotContain("Very$ecret", shown);
        var data = JsonNode.Parse(await _http.GetStringAsync("api/v1/namespaces/real-estate-ai/secrets/db-credentials"))!["data"]!;
        Assert.Equal("Very$ecret-123", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)data["password"]!)));

        await _http.DeleteAsync("_sandbox/requests");
        Assert.Empty(_s.Run("""Set-DbConnectionSecret -Host x -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))) -WhatIf""").Errors);
        Assert.Equal(0, await MutationsAsync());
    }

    [Fact]
    public async Task Rollouts_restart_wait_and_refuse_what_kubectl_refuses()
    {
        var r = _s.Run("Restart-Deployment auth-service -Wait -Confirm:$false");
        Assert.Empty(r.Errors);
        Assert.Equal(RolloutState.Complete, Assert.Single(r.Objects<RolloutStatus>()).Status);
        Assert.Equal(new[] { 1, 2 }, _s.Run("Get-RolloutHistory auth-service").Objects<RolloutRevision>().Select(x => x.Revision));

        Assert.Equal(new[] { "RolloutHistoryEmpty" }, _s.Run("Undo-Deployment frontend -Confirm:$false").ErrorIds);
        await _http.PatchAsync("apis/apps/v1/namespaces/real-estate-ai/deployments/frontend",
            new StringContent("""{"spec":{"paused":true}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"));
        await _http.DeleteAsync("_sandbox/requests");
        Assert.Equal(new[] { "DeploymentPaused" }, _s.Run("Restart-Deployment frontend -Confirm:$false").ErrorIds);
        Assert.Equal(new[] { "DeploymentNotFound" }, _s.Run("Restart-Deployment nope -Confirm:$false").ErrorIds);
        Assert.Equal(0, await MutationsAsync());

        var undo = _s.Run("Undo-Deployment auth-service -WhatIf");
        Assert.Empty(undo.Errors);
        Assert.Equal(0, await MutationsAsync());
        var back = _s.Run("Undo-Deployment auth-service -Wait -Confirm:$false");
        Assert.Empty(back.Errors);
        Assert.Equal(1, Assert.Single(back.Objects<RollbackResult>()).ToRevision);
        Assert.Equal(new[] { "LogPatternInvalid" }, _s.Run("Get-PodLog -Deployment auth-service -Pattern '('").ErrorIds);
        var logs = _s.Run("$pods = @(Get-KubePod -Selector app=auth-service | Where-Object Status -eq Running); $pods.Count; $pods | Get-PodLog -Tail 2");
        Assert.Empty(logs.Errors);
        Assert.Equal(2 * (int)logs.Output[0].BaseObject, logs.Objects<PodLogLine>().Count());
        Assert.All(logs.Objects<PodLogLine>(), l => Assert.Equal("auth", l.Container));
    }

    [Fact]
    public void Several_nodes_drain_throttled_each_with_its_own_result_and_journal_entry()
    {
        var r = _s.Run("Get-KubeNode -NodeGroup standard-nodes | Select-Object -First 2 | Invoke-NodeDrain -DeleteEmptyDirData -ThrottleLimit 2 -EvictionRetryInterval 300ms -Confirm:$false");
        Assert.Empty(r.Errors);
        var results = r.Objects<NodeDrainResult>().OrderBy(x => x.Node).ToList();
        Assert.Equal(new[] { Node1, "ip-10-0-2-34.ec2.internal" }, results.Select(x => x.Node));
        Assert.All(results, x => Assert.Equal(NodeDrainStatus.Drained, x.Status));
        Assert.Equal(2, _s.Run("Get-OpsJournal -Command Invoke-NodeDrain").Objects<JournalEntry>().Count(e => e.Outcome == JournalOutcome.Succeeded));
        Assert.All(_s.Run("Get-KubeNode -NodeGroup standard-nodes").Objects<KubeNode>().Where(n => n.Name != "ip-10-0-3-47.ec2.internal"), n => Assert.True(n.Unschedulable));
    }

    [Fact]
    public async Task The_client_is_disposed_after_a_terminating_error()
    {
        var open = RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients;
        var dead = Path.Combine(_state, "dead-kubeconfig");
        await File.WriteAllTextAsync(dead, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: dead
              cluster: {server: "http://127.0.0.1:{{RealEstateOps.Engine.Common.Ports.Free()}}"}
            users:
            - name: admin
              user: {token: sandbox-admin-token}
            contexts:
            - name: dead
              context: {cluster: dead, user: admin}
            current-context: dead

            """);
        var r = _s.Run($"Get-KubeNode -Kubeconfig '{dead}'");
        Assert.Equal(new[] { "KubeApiUnreachable" }, r.ErrorIds);
        Assert.Equal(open, RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients);
        Assert.Empty(_s.Run("Get-KubeNode -NodeGroup standard-nodes | Select-Object -First 1 | Out-Null").Errors);
        // Select-Object -First stops the command: its client goes once the cancelled work has wound down, a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients != open && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(open, RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients);
    }

    [Fact]
    public async Task Ctrl_C_stops_evicting_leaves_the_node_cordoned_and_journals_what_remains()
    {
        var open = RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients;
        await _http.PatchAsync("apis/policy/v1/namespaces/real-estate-ai/poddisruptionbudgets/api-service-pdb",
            new StringContent("""{"spec":{"minAvailable":3}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"));
        using var ps = _s.Begin($"Invoke-NodeDrain {Node1} -DeleteEmptyDirData -EvictionRetryInterval 300ms -Confirm:$false", out var handle);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (((await OperationsAsync())["kubernetes:POST pods/{name}/eviction"]?.GetValue<long>() ?? 0) < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, "the drain never got blocked");
            await Task.Delay(100);
        }
        ps.Stop();
        Assert.True(handle.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        JournalEntry? entry = null;
        while (entry is null && DateTime.UtcNow < deadline.AddSeconds(10))
        {
            entry = _s.Run("Get-OpsJournal -Command Invoke-NodeDrain").Objects<JournalEntry>().SingleOrDefault();
            if (entry is null) await Task.Delay(100);
        }
        Assert.NotNull(entry);
        Assert.Equal(JournalOutcome.Failed, entry!.Outcome);
        Assert.Equal("OperationStopped", entry.ErrorId);
        Assert.Contains("remaining", entry.Message);
        Assert.Contains("api-service-", entry.Message);
        var evictions = (await OperationsAsync())["kubernetes:POST pods/{name}/eviction"]!.GetValue<long>();
        await Task.Delay(1000);
        Assert.Equal(evictions, (await OperationsAsync())["kubernetes:POST pods/{name}/eviction"]!.GetValue<long>());
        var node = JsonNode.Parse(await _http.GetStringAsync($"api/v1/nodes/{Node1}"))!;
        Assert.True((bool?)node["spec"]?["unschedulable"]);
        // The stopped command's client was disposed with it (once its cancelled work wound down), not left to EndProcessing, which a stop skips.
        while (RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients != open && DateTime.UtcNow < deadline.AddSeconds(20)) await Task.Delay(100);
        Assert.Equal(open, RealEstateOps.Commands.Kubernetes.KubeCommandBase.OpenClients);
    }

    [Fact]
    public async Task Restart_Wait_is_one_journal_entry_that_covers_the_wait_and_a_stopped_wait_says_the_restart_was_made()
    {
        var r = _s.Run("Restart-Deployment auth-service -Wait -Confirm:$false");
        Assert.Empty(r.Errors);
        var status = Assert.Single(r.Objects<RolloutStatus>());
        Assert.Equal(RolloutState.Complete, status.Status);
        Assert.True(status.Duration > TimeSpan.Zero);
        var entry = Assert.Single(_s.Run("Get-OpsJournal -Command Restart-Deployment").Objects<JournalEntry>());
        Assert.Equal(JournalOutcome.Succeeded, entry.Outcome);
        Assert.True(entry.DurationMs >= status.Duration.TotalMilliseconds, $"journaled {entry.DurationMs} ms, the wait took {status.Duration.TotalMilliseconds} ms");

        // A rollout that does not move (the sandbox clock nearly stopped): Ctrl+C during the wait.
        _host.Context.Clock.Speed = 0.001;
        await _http.DeleteAsync("_sandbox/requests");
        using var ps = _s.Begin("Restart-Deployment frontend -Wait -Confirm:$false", out var handle);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (((await OperationsAsync())["kubernetes:PATCH deployments/{name}"]?.GetValue<long>() ?? 0) < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the restart was never sent");
            await Task.Delay(100);
        }
        await Task.Delay(500);
        ps.Stop();
        Assert.True(handle.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
        var stopped = _s.Run("Get-OpsJournal -Command Restart-Deployment -Target 'deployment/frontend*'").Objects<JournalEntry>().ToList();
        var last = Assert.Single(stopped);
        Assert.Equal(JournalOutcome.Failed, last.Outcome);
        Assert.Equal("WaitStopped", last.ErrorId);
        Assert.Contains("The change was made", last.Message);
    }

    [Fact]
    public void Namespace_completes_live_namespaces_and_the_context_s_when_the_cluster_cannot_say()
    {
        string[] Complete(string line) => _s.Run($"(TabExpansion2 '{line}' {line.Length}).CompletionMatches.CompletionText").Output.Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "kube-public", "kube-system" }, Complete("Get-KubePod -Namespace kube"));
        Assert.Equal(new[] { "real-estate-ai" }, Complete("Get-PodLog x -Namespace real"));
        Assert.Equal(new[] { "default" }, Complete("Restart-Deployment x -Namespace def"));
        Assert.Equal(new[] { "kube-system" }, Complete("Test-Deployment -Namespace kube-s"));
        // No cluster to ask: the context's namespace (the built-in default's), never file names.
        var missing = Path.Combine(_state, "no-such-kubeconfig");
        Assert.Equal(new[] { "real-estate-ai" }, Complete($"Wait-Rollout x -Kubeconfig {missing} -Namespace r"));
    }
}
