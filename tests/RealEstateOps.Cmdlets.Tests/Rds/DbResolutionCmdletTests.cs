using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>The database resolution cmdlets in a hosted runspace against a sandbox on the test run's shared PostgreSQL server (nothing here restarts or fills it).</summary>
public sealed class DbResolutionCmdletTests : IDisposable
{
    private readonly OpsSandboxSession _sandbox = new(speed: 300);
    private PsSession _s => _sandbox.Shell;

    public void Dispose() => _sandbox.Dispose();

    private long Requests(string operation, string service = "rds") => _sandbox.Requests(operation, service);

    [Fact]
    public void Get_DbParameter_with_Select_First_1_makes_exactly_one_DescribeDBParameters_request()
    {
        var before = Requests("DescribeDBParameters");
        var r = _s.Run("Get-DbParameter -PageSize 20 | Select-Object -First 1");
        Assert.Empty(r.Errors);
        Assert.Single(r.Objects<DbParameter>());
        Assert.Equal(before + 1, Requests("DescribeDBParameters"));

        var all = _s.Run("Get-DbParameter -PageSize 20");
        Assert.True(all.Objects<DbParameter>().Count() > 20, "every page is read when the pipeline takes everything");
        var named = _s.Run("Get-DbParameter max_conn*");
        var mc = Assert.Single(named.Objects<DbParameter>());
        Assert.Equal(("static", "real-estate-ai-pg15"), (mc.ApplyType, mc.GroupName));
    }

    [Fact]
    public void Change_cmdlets_with_WhatIf_make_no_change_request_and_are_journaled_as_WhatIf()
    {
        var (modifyGroup, reboot, modify) = (Requests("ModifyDBParameterGroup"), Requests("RebootDBInstance"), Requests("ModifyDBInstance"));
        var r = _s.Run("Set-DbParameter max_connections 300 -WhatIf; Restart-DbInstance -WhatIf; Set-DbInstanceClass db.r6g.xlarge -ApplyImmediately -WhatIf; Stop-DbQuery -ProcessId 424242 -Terminate -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Equal((modifyGroup, reboot, modify), (Requests("ModifyDBParameterGroup"), Requests("RebootDBInstance"), Requests("ModifyDBInstance")));
        var journal = _s.Run("Get-OpsJournal -Within 1h").Objects<JournalEntry>().ToList();
        foreach (var command in new[] { "Set-DbParameter", "Restart-DbInstance", "Set-DbInstanceClass", "Stop-DbQuery" })
            Assert.Contains(journal, e => e.Command == command && e.Outcome == JournalOutcome.WhatIf);
    }

    [Fact]
    public void Set_DbParameter_refuses_the_default_group_with_the_reason_and_says_a_reboot_is_pending()
    {
        var refused = _s.Run("Set-DbParameter max_connections 300 -ParameterGroupName default.postgres15 -Confirm:$false");
        Assert.Equal("DbParameterGroupIsDefault", Assert.Single(refused.ErrorIds));
        Assert.Contains("custom group", refused.Errors[0].Exception.Message);
        Assert.Equal(0, Requests("ModifyDBParameterGroup"));

        var set = _s.Run("Set-DbParameter max_connections 260 -Confirm:$false");
        Assert.Empty(set.Errors);
        var result = Assert.Single(set.Objects<DbParameterChangeResult>());
        Assert.True(result.PendingReboot);
        Assert.Equal("pending-reboot", result.ParameterApplyStatus);
        Assert.Contains("Restart-DbInstance", result.Message);
    }

    [Fact]
    public void Get_DbSecurityGroup_and_Get_DbActivity_report_the_facts()
    {
        var facts = Assert.Single(_s.Run("Get-DbSecurityGroup").Objects<DbSecurityFacts>());
        Assert.True(facts.PortOpen);
        Assert.Contains(facts.SecurityGroups, g => g.GroupId == "sg-0realestatedb0001");
        Assert.Equal(3, facts.Subnets.Count);
        Assert.Equal(1, Requests("DescribeSecurityGroups", "ec2"));

        var report = Assert.Single(_s.Run("Get-DbActivity").Objects<DbActivityReport>());
        Assert.True(report.MaxConnections > 0);
        Assert.Contains(report.Sessions, s => s.IsOwn && s.Application == "RealEstateOps");
        var sessions = _s.Run("Get-DbActivity -Detail").Objects<DbSession>().ToList();
        Assert.NotEmpty(sessions);

        var own = sessions.Single(s => s.IsOwn).ProcessId;
        Assert.Equal("DbProcessNotFound", Assert.Single(_s.Run($"Stop-DbQuery {own} -Confirm:$false").ErrorIds));
    }
}
