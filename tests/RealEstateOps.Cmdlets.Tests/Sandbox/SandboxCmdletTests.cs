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
