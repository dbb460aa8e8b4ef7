using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Sandbox;

public class SandboxCmdletTests
{
    [Fact]
    public void Start_test_and_stop_the_sandbox_end_to_end()
    {
        using var s = new PsSession();
        s.SetEnv("REALESTATEOPS_SANDBOX_PG", TestPostgres.AdminConnectionString); // share the test server: faster than initdb
        try
        {
            var start = s.Run("Start-OpsSandbox");
            Assert.Empty(start.Errors);
            var instance = Assert.Single(start.Objects<SandboxInstance>());
            Assert.True(instance.Responding);

            var again = s.Run("Start-OpsSandbox");
            Assert.Equal("SandboxAlreadyRunning", Assert.Single(again.ErrorIds));

            var test = s.Run("Use-OpsContext sandbox; Test-DbConnection; Get-OpsSandbox");
            Assert.Empty(test.Errors);
            Assert.True(Assert.Single(test.Objects<DbConnectionResult>()).IsReady);
            Assert.True(Assert.Single(test.Objects<SandboxInstance>()).Responding);

            var faults = s.Run("Set-OpsSandboxFault -Service nosuch -ErrorRate 0.5");
            Assert.Equal("SandboxServiceUnknown", Assert.Single(faults.ErrorIds));
            Assert.Empty(s.Run("Set-OpsSandboxFault -ErrorRate 0.2 -Error 503:SlowDown; Set-OpsSandboxFault -Reset -ResetRequestCount").Errors);
            Assert.Equal("SandboxFaultsInvalid", Assert.Single(s.Run("Set-OpsSandboxFault -ErrorRate 3").ErrorIds));
            Assert.Equal("SandboxFaultsInvalid", Assert.Single(s.Run("Set-OpsSandboxFault -Error 200:Ok").ErrorIds));
        }
        finally
        {
            var stop = s.Run("Stop-OpsSandbox -Confirm:$false");
            Assert.Empty(stop.Errors);
        }
        Assert.Equal("SandboxNotRunning", Assert.Single(s.Run("Stop-OpsSandbox -Confirm:$false").ErrorIds));
        var journal = s.Run("Get-OpsJournal -Command Start-OpsSandbox, Stop-OpsSandbox").Objects<JournalEntry>().ToList();
        Assert.Equal(new[] { ("Start-OpsSandbox", JournalOutcome.Succeeded), ("Start-OpsSandbox", JournalOutcome.Failed), ("Stop-OpsSandbox", JournalOutcome.Succeeded) },
            journal.Select(e => (e.Command, e.Outcome)));
        Assert.Equal("SandboxAlreadyRunning", journal[1].ErrorId);
    }

    [Fact]
    public void Get_OpsSandbox_says_when_no_sandbox_runs_and_returns_nothing()
    {
        using var s = new PsSession();
        var r = s.Run("Get-OpsSandbox 6>&1");
        Assert.Empty(r.Errors);
        // No object: only the message, on the information stream, tagged as Write-Host's text is so that the console shows it.
        var message = Assert.IsType<InformationRecord>(Assert.Single(r.Output).BaseObject);
        Assert.StartsWith("No sandbox is running", message.MessageData.ToString());
        Assert.Contains("Start-OpsSandbox", message.MessageData.ToString());
        Assert.Contains("PSHOST", message.Tags);
        Assert.Empty(s.Run("Get-OpsSandbox -InformationAction Ignore 6>&1").Output);
        Assert.Equal("none", Assert.Single(s.Run("if (Get-OpsSandbox -InformationAction Ignore) { 'some' } else { 'none' }").Output).BaseObject);
    }

    [Theory]
    [InlineData("Set-OpsSandboxFault -Service ", new[] { "s3", "kubernetes", "rds", "eks", "langfuse", "argocd", "notifications", "ec2", "api-service", "auth-service", "llm-service", "chatbot-service", "proposal-service", "*" })]
    [InlineData("Set-OpsSandboxFault -Service pro", new[] { "proposal-service" })]
    [InlineData("Set-OpsSandboxFault -Service k", new[] { "kubernetes" })]
    [InlineData("Set-OpsSandboxFault R", new[] { "rds" })]
    public void Service_completion_offers_the_sandboxs_services_not_file_paths(string line, string[] expected)
    {
        using var s = new PsSession();
        File.WriteAllText(Path.Combine(s.Home, "kube-notes.txt"), "a file completion would offer");
        File.WriteAllText(Path.Combine(s.Home, "rds-notes.txt"), "a file completion would offer");
        var r = s.Run($"Set-Location '{s.Home}'; (TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText");
        Assert.Empty(r.Errors);
        Assert.Equal(expected, r.Output.Select(o => o.BaseObject.ToString()));
    }

    [Fact]
    public void Clock_and_faults_of_a_running_sandbox()
    {
        using var s = new PsSession();
        s.SetEnv("REALESTATEOPS_SANDBOX_PG", TestPostgres.AdminConnectionString);
        try
        {
            var instance = Assert.Single(s.Run("Start-OpsSandbox -Speed 2").Objects<SandboxInstance>());
            using var control = SandboxClients.Control(instance);
            double ClockSpeed() => System.Text.Json.JsonDocument.Parse(control.GetStringAsync("_sandbox/clock").GetAwaiter().GetResult()).RootElement.GetProperty("speed").GetDouble();

            // Completion offers the services and platform services the running sandbox published.
            const string line = "Set-OpsSandboxFault -Service ";
            Assert.Equal(new[] { "api-service", "auth-service", "llm-service", "chatbot-service", "proposal-service" }, instance.PlatformServices);
            Assert.Equal(instance.Services.Concat(instance.PlatformServices).Append("*"),
                s.Run($"(TabExpansion2 -inputScript '{line}' -cursorColumn {line.Length}).CompletionMatches.CompletionText").Output.Select(o => o.BaseObject.ToString()));

            // A service the sandbox does not have: a specific error before anything is changed, also under -WhatIf, and no journal entry.
            var unknown = s.Run("Set-OpsSandboxFault -Service redis -ErrorRate 0.5 -WhatIf");
            Assert.Equal("SandboxServiceUnknown", Assert.Single(unknown.ErrorIds));
            Assert.Contains("s3", unknown.Errors[0].Exception.Message);
            Assert.Equal(ErrorCategory.InvalidArgument, unknown.Errors[0].CategoryInfo.Category);
            Assert.Empty(s.Run("Get-OpsJournal -Command Set-OpsSandboxFault").Output);

            // A platform service is a fault target: -WhatIf sets nothing, then the fault is in place.
            Assert.Empty(s.Run("Set-OpsSandboxFault -Service api-service -ErrorRate 0.5 -WhatIf").Errors);
            Assert.DoesNotContain("api-service", control.GetStringAsync("_sandbox/faults").GetAwaiter().GetResult());
            var platformFault = s.Run("Set-OpsSandboxFault -Service api-service -ErrorRate 0.5 -Confirm:$false");
            Assert.Empty(platformFault.Errors);
            Assert.Contains("\"api-service\":{\"errorRate\":0.5", control.GetStringAsync("_sandbox/faults").GetAwaiter().GetResult());
            Assert.Empty(s.Run("Set-OpsSandboxFault -Reset -Confirm:$false").Errors);

            // -WhatIf changes nothing and is journaled as such.
            var whatIf = s.Run("Set-OpsSandboxClock -Speed 60 -WhatIf");
            Assert.Empty(whatIf.Errors);
            Assert.Empty(whatIf.Output);
            Assert.Equal(2, ClockSpeed());

            var set = s.Run("Set-OpsSandboxClock -Speed 60");
            Assert.Empty(set.Errors);
            var clock = Assert.Single(set.Objects<SandboxClockState>());
            Assert.Equal((60.0, 2.0, instance.Url), (clock.Speed, clock.PreviousSpeed, clock.Url));
            Assert.Equal(60, ClockSpeed());

            // Get-OpsSandbox shows the speed in effect, not the one it started with.
            var shown = s.Run("Get-OpsSandbox");
            Assert.Equal(60, Assert.Single(shown.Objects<SandboxInstance>()).Speed);

            Assert.Equal("SandboxSpeedInvalid", Assert.Single(s.Run("Set-OpsSandboxClock -Speed 0 -WhatIf").ErrorIds));
            Assert.Equal("SandboxSpeedInvalid", Assert.Single(s.Run("Set-OpsSandboxClock -Speed 20000").ErrorIds));
            Assert.Equal(60, ClockSpeed());

            var journal = s.Run("Get-OpsJournal -Command Set-OpsSandboxClock").Objects<JournalEntry>().ToList();
            Assert.Equal(new[] { JournalOutcome.WhatIf, JournalOutcome.Succeeded }, journal.Select(e => e.Outcome));
            Assert.All(journal, e => Assert.Equal(instance.Url, e.Target));
            Assert.Equal("Set the clock speed from 2x to 60x", journal[1].Action);
        }
        finally
        {
            Assert.Empty(s.Run("Stop-OpsSandbox -Confirm:$false").Errors);
        }
        Assert.Equal("SandboxNotRunning", Assert.Single(s.Run("Set-OpsSandboxClock -Speed 10").ErrorIds));
        Assert.Equal("SandboxNotRunning", Assert.Single(s.Run("Set-OpsSandboxFault -Service s3 -ErrorRate 0.1").ErrorIds));
    }

    [Fact]
    public void WhatIf_starts_nothing()
    {
        using var s = new PsSession();
        var r = s.Run("Start-OpsSandbox -WhatIf; Get-OpsSandbox");
        Assert.Empty(r.Errors);
        Assert.Empty(r.Output);
        Assert.Equal(JournalOutcome.WhatIf, Assert.Single(s.Run("Get-OpsJournal").Objects<JournalEntry>()).Outcome);
    }

    [Theory]
    [InlineData("-Speed 0", "SandboxSpeedInvalid")]
    [InlineData("-FaultRate 1.5", "SandboxFaultRateInvalid")]
    [InlineData("-Port 70000", "SandboxPortInvalid")]
    public void Bad_input_is_rejected_before_anything_starts(string args, string errorId)
    {
        using var s = new PsSession();
        var r = s.Run($"Start-OpsSandbox {args} -WhatIf");
        Assert.Equal(errorId, Assert.Single(r.ErrorIds));
        Assert.False(File.Exists(Path.Combine(s.Home, "state", "sandbox", "sandbox.json")));
    }

    [Fact]
    public void A_port_in_use_is_a_specific_error()
    {
        using var s = new PsSession();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var r = s.Run($"Start-OpsSandbox -Port {port}");
            Assert.Equal("SandboxPortInUse", Assert.Single(r.ErrorIds));
            Assert.Equal(JournalOutcome.Failed, Assert.Single(s.Run("Get-OpsJournal").Objects<JournalEntry>()).Outcome);
        }
        finally
        {
            listener.Stop();
        }
    }
}
