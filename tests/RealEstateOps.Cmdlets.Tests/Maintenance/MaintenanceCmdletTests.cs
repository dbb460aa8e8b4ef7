using System.Reflection;
using System.Text.Json.Nodes;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Maintenance;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Maintenance;

/// <summary>Get-/Test-MaintenanceWindow, and enforcement on the window-bound cmdlets against a fresh sandbox.</summary>
public sealed class MaintenanceCmdletTests : IAsyncLifetime
{
    private const string Node1 = "ip-10-0-1-21.ec2.internal";
    private KubeSandboxSession _sandbox = null!;
    private PsSession _s = null!;
    private HttpClient _http = null!;

    /// <summary>A window that is closed now and for the next two days: an hour, three days from today.</summary>
    private static string ClosedWindow => $"{DateTime.UtcNow.AddDays(3).DayOfWeek.ToString()[..3]} 00:00-01:00";

    public async Task InitializeAsync()
    {
        _sandbox = await KubeSandboxSession.StartAsync("reo-mw-",
            $"-Name windows -EnforceMaintenanceWindow $true -KubernetesWindow '{ClosedWindow}' -ApplicationWindow '{ClosedWindow}' -DatabaseWindow '{ClosedWindow}'");
        (_s, _http) = (_sandbox.Shell, _sandbox.Http);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    /// <summary>Every Kubernetes request the sandbox served since the last reset, reads included.</summary>
    private async Task<long> KubeRequestsAsync(bool mutationsOnly = false) =>
        JsonNode.Parse(await _http.GetStringAsync("_sandbox/requests"))!["operations"]!.AsObject()
            .Where(kv => kv.Key.StartsWith("kubernetes:", StringComparison.Ordinal) && (!mutationsOnly || !kv.Key.StartsWith("kubernetes:GET", StringComparison.Ordinal)))
            .Sum(kv => kv.Value!.GetValue<long>());

    private List<JournalEntry> Journal(string command) => _s.Run($"Get-OpsJournal -Command {command}").Objects<JournalEntry>().ToList();

    [Fact]
    public void Get_MaintenanceWindow_shows_each_kind_with_its_source_and_the_next_ones()
    {
        _s.Run("Set-OpsContext -Name windows -Clear DatabaseWindow, ApplicationWindow");
        var all = _s.Run("Get-MaintenanceWindow -At '2025-03-29 04:59'");
        Assert.Empty(all.Errors);
        var windows = all.Objects<MaintenanceWindow>().ToList();
        Assert.Equal(new[] { MaintenanceKind.Database, MaintenanceKind.Kubernetes, MaintenanceKind.Application }, windows.Select(w => w.Kind));
        Assert.Equal(new[] { "built-in default", "context 'windows'", "built-in default" }, windows.Select(w => w.Source));
        Assert.All(windows, w => Assert.True(w.Enforced));
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero), windows[0].Start);

        _s.Run("Set-OpsContext -Name windows -Clear KubernetesWindow");
        var next = _s.Run("Get-MaintenanceWindow -Kind Kubernetes -Next 3 -At '2025-03-29 04:59'").Objects<MaintenanceWindow>().ToList();
        Assert.Equal(new[] { true, false, false }, next.Select(w => w.IsOpen));
        Assert.Equal(new[] { 29, 26, 31 }, next.Select(w => w.Start.Day));
        Assert.Equal(TimeSpan.FromMinutes(1), next[0].ClosesIn);

        Assert.Equal("opens in 20h 1m", _s.Run("Get-MaintenanceWindow Database -At '2025-03-29 04:59'").Objects<MaintenanceWindow>().Single().Status);
    }

    [Fact]
    public void Test_MaintenanceWindow_answers_true_or_false_or_a_verdict()
    {
        _s.Run("Set-OpsContext -Name windows -Clear ApplicationWindow");
        Assert.Equal(new[] { true }, _s.Run("Test-MaintenanceWindow Application -At '2025-01-07 22:59'").Objects<bool>());
        Assert.Equal(new[] { false }, _s.Run("Test-MaintenanceWindow Application -At '2025-01-07 23:00'").Objects<bool>());
        var verdict = Assert.Single(_s.Run("Test-MaintenanceWindow -Kind Kubernetes -Detailed").Objects<MaintenanceWindowVerdict>());
        Assert.False(verdict.IsOpen);
        Assert.True(verdict.Enforced);
        Assert.False(verdict.Allowed);
        Assert.Contains("is closed; it next opens", verdict.Summary, StringComparison.Ordinal);
        Assert.NotEmpty(_s.Run("Test-MaintenanceWindow -Kind Nope").Errors);
    }

    [Fact]
    public void Set_OpsContext_refuses_a_bad_rule_and_stores_the_canonical_one()
    {
        var before = File.ReadAllText(Path.Combine(_s.ContextsFolder, "windows.json"));
        var bad = _s.Run("Set-OpsContext -Name windows -KubernetesWindow 'LastSat 5-1'");
        Assert.Equal(new[] { "MaintenanceWindowSpecInvalid" }, bad.ErrorIds);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_s.ContextsFolder, "windows.json")));
        Assert.Empty(_s.Run("Set-OpsContext -Name windows -KubernetesWindow 'lastsat 1:00-5:00'").Errors);
        Assert.Contains("\"KubernetesWindow\": \"LastSat 01:00-05:00 UTC\"", File.ReadAllText(Path.Combine(_s.ContextsFolder, "windows.json")), StringComparison.Ordinal);
        Assert.Empty(_s.Run("Set-OpsContext -Name windows -EnforceMaintenanceWindow $false").Errors);
        Assert.False(Assert.Single(_s.Run("Test-MaintenanceWindow Kubernetes -Detailed").Objects<MaintenanceWindowVerdict>()).Enforced);
    }

    [Theory]
    [InlineData("Invoke-NodeDrain " + Node1 + " -DeleteEmptyDirData -Confirm:$false", "Kubernetes")]
    [InlineData("Disable-NodeScheduling " + Node1 + " -Confirm:$false", "Kubernetes")]
    [InlineData("Get-KubeNode " + Node1 + " | Disable-NodeScheduling -Confirm:$false", "Kubernetes")]
    [InlineData("Restart-Deployment auth-service -Confirm:$false", "Application")]
    public async Task Outside_an_enforced_window_a_change_is_refused_before_any_request(string command, string kind)
    {
        await _http.DeleteAsync("_sandbox/requests");
        var r = _s.Run(command);
        Assert.Equal(new[] { "OutsideMaintenanceWindow" }, r.ErrorIds);
        var message = r.Errors[0].Exception.Message;
        Assert.Contains($"The {kind} maintenance window (", message, StringComparison.Ordinal);
        Assert.Contains("it next opens", message, StringComparison.Ordinal);
        Assert.Contains("-IgnoreMaintenanceWindow -Reason", r.Errors[0].ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.IsType<MaintenanceWindowVerdict>(r.Errors[0].TargetObject);
        // Not even a read: the refusal comes in BeginProcessing, before any command of the pipeline processed a record.
        Assert.Equal(0, await KubeRequestsAsync());
        var entry = Assert.Single(Journal(command.Split(' ')[command.StartsWith("Get-", StringComparison.Ordinal) ? 3 : 0]));
        Assert.Equal((JournalOutcome.Declined, "OutsideMaintenanceWindow"), (entry.Outcome, entry.ErrorId));
        Assert.Equal("windows", entry.Context);
    }

    [Fact]
    public async Task Import_Database_is_refused_outside_the_database_window_before_it_connects()
    {
        var r = _s.Run("Import-Database ./missing.dump -Database restore_check -HostName 127.0.0.1 -Port 1 -Confirm:$false");
        Assert.Equal(new[] { "OutsideMaintenanceWindow" }, r.ErrorIds); // not the missing file nor the closed port: nothing was tried
        Assert.Contains("The Database maintenance window", r.Errors[0].Exception.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task WhatIf_outside_the_window_runs_changes_nothing_and_says_the_window_is_closed()
    {
        await _http.DeleteAsync("_sandbox/requests");
        var r = _s.Run($"Invoke-NodeDrain {Node1} -DeleteEmptyDirData -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Equal(NodeDrainStatus.WhatIf, Assert.Single(r.Objects<NodeDrainResult>()).Status);
        Assert.Contains(r.Warnings, w => w.Contains("The Kubernetes maintenance window", StringComparison.Ordinal) && w.Contains("would be refused (OutsideMaintenanceWindow)", StringComparison.Ordinal));
        Assert.Equal(0, await KubeRequestsAsync(mutationsOnly: true));
        var entry = Assert.Single(Journal("Invoke-NodeDrain"));
        Assert.Equal(JournalOutcome.WhatIf, entry.Outcome);
        Assert.Contains("maintenance window was closed", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IgnoreMaintenanceWindow_needs_a_reason_and_journals_it()
    {
        await _http.DeleteAsync("_sandbox/requests");
        Assert.Equal(new[] { "MaintenanceWindowReasonRequired" }, _s.Run($"Disable-NodeScheduling {Node1} -IgnoreMaintenanceWindow -Confirm:$false").ErrorIds);
        Assert.Equal(new[] { "MaintenanceWindowReasonWithoutOverride" }, _s.Run($"Disable-NodeScheduling {Node1} -Reason 'INC-42 hotfix' -Confirm:$false").ErrorIds);
        Assert.NotEmpty(_s.Run($"Disable-NodeScheduling {Node1} -IgnoreMaintenanceWindow -Reason '' -Confirm:$false").Errors);
        Assert.Equal(0, await KubeRequestsAsync());

        var r = _s.Run($"Disable-NodeScheduling {Node1} -IgnoreMaintenanceWindow -Reason 'INC-42 hotfix' -Confirm:$false");
        Assert.Empty(r.Errors);
        Assert.Equal("Ready,SchedulingDisabled", Assert.Single(r.Objects<KubeNode>()).Status);
        Assert.Contains(r.Warnings, w => w.Contains("goes ahead because of -IgnoreMaintenanceWindow; reason: INC-42 hotfix", StringComparison.Ordinal));
        var entry = Journal("Disable-NodeScheduling").Single(e => e.Outcome == JournalOutcome.Succeeded);
        Assert.Contains("outside the Kubernetes maintenance window", entry.Message, StringComparison.Ordinal);
        Assert.Contains("reason: INC-42 hotfix", entry.Message, StringComparison.Ordinal);
        Assert.Equal("INC-42 hotfix", entry.Parameters["Reason"]);
        Assert.Equal("True", entry.Parameters["IgnoreMaintenanceWindow"]);
    }

    [Fact]
    public async Task Recovery_commands_are_not_window_bound_and_an_open_window_lets_changes_through()
    {
        _s.Run($"Disable-NodeScheduling {Node1} -IgnoreMaintenanceWindow -Reason 'test setup' -Confirm:$false");
        var uncordon = _s.Run($"Enable-NodeScheduling {Node1} -Confirm:$false");
        Assert.Empty(uncordon.Errors);
        Assert.Equal("Ready", Assert.Single(uncordon.Objects<KubeNode>()).Status);
        Assert.False(_s.Run("(Get-Command Enable-NodeScheduling).Parameters.ContainsKey('IgnoreMaintenanceWindow')").Objects<bool>().Single());
        Assert.False(_s.Run("(Get-Command Undo-Deployment).Parameters.ContainsKey('Reason')").Objects<bool>().Single());
        Assert.True(_s.Run("(Get-Command Invoke-NodeDrain).Parameters.ContainsKey('IgnoreMaintenanceWindow')").Objects<bool>().Single());

        Assert.Empty(_s.Run("Set-OpsContext -Name windows -KubernetesWindow 'Daily 00:00-24:00'").Errors);
        await _http.DeleteAsync("_sandbox/requests");
        var r = _s.Run($"Disable-NodeScheduling {Node1} -Confirm:$false -Verbose");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Verbose, v => v.Contains("The Kubernetes maintenance window (Daily 00:00-24:00 UTC, from context 'windows') is open", StringComparison.Ordinal));
        Assert.Equal(1, await KubeRequestsAsync(mutationsOnly: true));
    }

    [Fact]
    public void Every_window_bound_cmdlet_names_a_kind()
    {
        var bound = typeof(RealEstateOps.Commands.OpsCommandBase).Assembly.GetTypes()
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<MaintenanceWindowAttribute>()))
            .Where(x => x.Attribute is not null).ToList();
        Assert.Contains(bound, x => x.Type.Name == "InvokeNodeDrainCommand");
        Assert.All(bound, x => Assert.True(Enum.TryParse<MaintenanceKind>(x.Attribute!.Kind, out _), $"{x.Type.Name}: {x.Attribute!.Kind}"));
        Assert.All(bound, x => Assert.True(x.Type.GetCustomAttribute<System.Management.Automation.CmdletAttribute>()!.SupportsShouldProcess, x.Type.Name));
    }
}
