using System.Text.Json.Nodes;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Kubernetes;

/// <summary>The incident runbook's Kubernetes cmdlets in a hosted runspace, against a fresh in-process sandbox per test.</summary>
public sealed class IncidentResolutionCmdletTests : IAsyncLifetime
{
    private KubeSandboxSession _sandbox = null!;
    private SandboxHost _host = null!;
    private PsSession _s = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await KubeSandboxSession.StartAsync("reo-kubeops-", "-Name k8s", clockSpeed: 10);
        (_host, _s, _http) = (_sandbox.Host, _sandbox.Shell, _sandbox.Http);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private async Task<long> MutationsAsync() =>
        JsonNode.Parse(await _http.GetStringAsync("_sandbox/requests"))!["operations"]!.AsObject()
            .Where(kv => kv.Key.StartsWith("kubernetes:", StringComparison.Ordinal) && !kv.Key.StartsWith("kubernetes:GET", StringComparison.Ordinal))
            .Sum(kv => kv.Value!.GetValue<long>());

    [Fact]
    public void Invoke_PodCommand_returns_the_result_journals_the_run_and_a_non_zero_exit_is_an_error()
    {
        var ok = _s.Run("Invoke-PodCommand -Deployment api-service -Command sh, -c, 'pg_isready -h $DB_HOST'");
        Assert.Empty(ok.Errors);
        var result = Assert.Single(ok.Objects<PodCommandResult>());
        Assert.Equal((0, "api"), (result.ExitCode, result.Container));
        Assert.Contains("accepting connections", result.StdOut);

        var failed = _s.Run("Invoke-PodCommand -Deployment auth-service -Command sh, -c, 'exit 7'");
        Assert.Equal(new[] { "PodCommandFailed" }, failed.ErrorIds);
        Assert.Equal(7, Assert.Single(failed.Objects<PodCommandResult>()).ExitCode);
        Assert.Contains("exit code 7", failed.Errors[0].Exception.Message);
        var ignored = _s.Run("Invoke-PodCommand -Deployment auth-service -Command false -IgnoreExitCode");
        Assert.Empty(ignored.Errors);
        Assert.Equal(1, Assert.Single(ignored.Objects<PodCommandResult>()).ExitCode);
        Assert.Equal(new[] { "PodNotFound" }, _s.Run("Invoke-PodCommand -Pod nope -Command env").ErrorIds);

        var journal = _s.Run("Get-OpsJournal -Command Invoke-PodCommand").Objects<JournalEntry>().ToList();
        Assert.Equal(4, journal.Count);
        var first = journal.Single(j => j.Outcome == JournalOutcome.Succeeded && j.Action.Contains("pg_isready"));
        Assert.Equal("Exec: sh -c 'pg_isready -h $DB_HOST'", first.Action);
        Assert.Equal("exit code 0", first.Message);
        Assert.Contains(journal, j => j.Outcome == JournalOutcome.Failed && j.ErrorId == "PodCommandFailed" && j.Message == "exit code 7");
        Assert.Contains(journal, j => j.ErrorId == "PodNotFound");
    }

    [Fact]
    public async Task Changes_with_WhatIf_make_no_change_request()
    {
        await _http.DeleteAsync("_sandbox/requests");
        foreach (var command in new[]
                 {
                     "Set-DeploymentScale frontend 3 -WhatIf", "Switch-LlmProvider -WhatIf", "Switch-LlmProvider -Revert -WhatIf",
                     "Set-LlmRequestLimit 100 -WhatIf",
                     "Update-DbConnectionSecret -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))) -WhatIf",
                 })
            Assert.Empty(_s.Run(command).Errors);
        Assert.Equal(0, await MutationsAsync());
        Assert.Equal(JournalOutcome.WhatIf, Assert.Single(_s.Run("Get-OpsJournal -Command Switch-LlmProvider").Objects<JournalEntry>().Where(e => !e.Action.StartsWith("Revert"))).Outcome);
    }

    [Fact]
    public void Set_DeploymentScale_scales_waits_and_guards_zero_with_its_own_switch()
    {
        var r = _s.Run("Set-DeploymentScale proposal-service 3 -Wait -Confirm:$false");
        Assert.Empty(r.Errors);
        var scale = Assert.Single(r.Objects<DeploymentScale>());
        Assert.Equal((2, 3, 3), (scale.PreviousReplicas, scale.Replicas, scale.CurrentReplicas));
        Assert.Equal(new[] { "DeploymentScaleToZeroRefused" }, _s.Run("Set-DeploymentScale proposal-service 0 -Confirm:$false -Force").ErrorIds);
        Assert.Equal(0, Assert.Single(_s.Run("Set-DeploymentScale proposal-service 0 -AllowZero -Confirm:$false").Objects<DeploymentScale>()).Replicas);
        var journal = _s.Run("Get-OpsJournal -Command Set-DeploymentScale").Objects<JournalEntry>().ToList();
        Assert.Equal(new[] { JournalOutcome.Succeeded, JournalOutcome.Failed, JournalOutcome.Succeeded }, journal.Select(j => j.Outcome));
    }

    [Fact]
    public void Llm_cmdlets_switch_throttle_and_revert_through_the_configuration()
    {
        var offered = _s.Run("(TabExpansion2 -inputScript 'Switch-LlmProvider ' -cursorColumn 19).CompletionMatches.CompletionText").Objects<string>().ToList();
        Assert.Equal(new[] { "anthropic", "openai" }, offered); // live from the ConfigMap: its fallback and the provider in use
        var switched = Assert.Single(_s.Run("Switch-LlmProvider -Confirm:$false").Objects<LlmConfigChange>());
        Assert.Equal(("openai", "anthropic", true), (switched.OldValue, switched.NewValue, switched.Changed));
        Assert.NotNull(switched.Restart);
        var limited = Assert.Single(_s.Run("Set-LlmRequestLimit -RequestsPerMinute 120 -Confirm:$false").Objects<LlmConfigChange>());
        Assert.Equal("120", limited.NewValue);
        var config = Assert.Single(_s.Run("Get-LlmServiceConfig").Objects<LlmServiceConfig>());
        Assert.Equal(("anthropic", 120, "openai", true), (config.Provider, config.RequestsPerMinute, config.PreviousProvider, config.OnFallback));
        Assert.Empty(_s.Run("Switch-LlmProvider -Revert -Wait -Confirm:$false").Errors);
        Assert.Equal("openai", Assert.Single(_s.Run("Get-LlmServiceConfig").Objects<LlmServiceConfig>()).Provider);
        Assert.Equal(new[] { "LlmConfigNothingToRevert" }, _s.Run("Switch-LlmProvider -Revert -Confirm:$false").ErrorIds);
    }

    [Fact]
    public void Db_secret_is_tested_and_a_wrong_new_password_is_refused_without_change()
    {
        var ok = Assert.Single(_s.Run("Test-DbConnectionSecret").Objects<DbSecretTestResult>());
        Assert.True(ok.Succeeded, ok.Error);
        var before = _s.Run("(Get-OpsJournal -Command Update-DbConnectionSecret).Count").Objects<int>().Single();
        var wrong = _s.Run($"Update-DbConnectionSecret -Credential ([pscredential]::new('{_host.Platform.User}', (ConvertTo-SecureString 'wrong-pw-123' -AsPlainText -Force))) -Confirm:$false");
        Assert.Equal(new[] { "DbAuthenticationFailed" }, wrong.ErrorIds);
        Assert.DoesNotContain("wrong-pw-123", wrong.Errors[0].ToString());
        Assert.True(Assert.Single(_s.Run("Test-DbConnectionSecret").Objects<DbSecretTestResult>()).Succeeded);
        var entry = _s.Run("Get-OpsJournal -Command Update-DbConnectionSecret").Objects<JournalEntry>().Last();
        Assert.Equal((JournalOutcome.Failed, "DbAuthenticationFailed"), (entry.Outcome, entry.ErrorId));
        Assert.DoesNotContain("wrong-pw-123", System.Text.Json.JsonSerializer.Serialize(entry));
        Assert.Equal(0, before);
    }
}
