using System.Net;
using System.Text;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;
using static RealEstateOps.Engine.Tests.Rds.RdsClientSafetyTests;

namespace RealEstateOps.Engine.Tests.Rds;

/// <summary>
/// Point-in-time restores against a scripted RDS: the request RestoreDBInstanceToPointInTime gets (UTC time, settings copied from the
/// source), the window check before any change, and the restorable window read from DescribeDBInstanceAutomatedBackups (or left
/// unknown when the server does not answer that action).
/// </summary>
public class DbPointInTimeRestoreTests
{
    private const string Source = "real-estate-ai-db";
    private static readonly DateTimeOffset Earliest = new(2026, 11, 25, 2, 11, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(2026, 12, 2, 9, 55, 0, TimeSpan.Zero);

    private static string Instance(string id, int retention = 14) => $"""
        <DBInstance><DBInstanceIdentifier>{id}</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus><DBInstanceClass>db.r6g.large</DBInstanceClass>
        <BackupRetentionPeriod>{retention}</BackupRetentionPeriod><PreferredBackupWindow>02:00-03:00</PreferredBackupWindow><StorageEncrypted>true</StorageEncrypted>
        <KmsKeyId>arn:aws:kms:us-east-1:000000000000:key/k1</KmsKeyId><LatestRestorableTime>{Latest:yyyy-MM-ddTHH:mm:ss.fffZ}</LatestRestorableTime>
        <DBSubnetGroup><DBSubnetGroupName>real-estate-ai-db-subnets</DBSubnetGroupName><VpcId>vpc-1</VpcId></DBSubnetGroup>
        <VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0realestatedb0001</VpcSecurityGroupId></VpcSecurityGroupMembership></VpcSecurityGroups>
        <DBParameterGroups><DBParameterGroup><DBParameterGroupName>real-estate-ai-pg15</DBParameterGroupName></DBParameterGroup></DBParameterGroups></DBInstance>
        """;

    private static readonly string Backups = $"""
        <DBInstanceAutomatedBackups><DBInstanceAutomatedBackup><DBInstanceIdentifier>{Source}</DBInstanceIdentifier><Status>active</Status>
        <RestoreWindow><EarliestTime>{Earliest:yyyy-MM-ddTHH:mm:ss.fffZ}</EarliestTime><LatestTime>{Latest:yyyy-MM-ddTHH:mm:ss.fffZ}</LatestTime></RestoreWindow>
        <BackupRetentionPeriod>14</BackupRetentionPeriod></DBInstanceAutomatedBackup></DBInstanceAutomatedBackups>
        """;

    private static HttpResponseMessage Error(HttpStatusCode status, string code) =>
        new(status) { Content = new StringContent($"<ErrorResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><Error><Code>{code}</Code><Message>{code}</Message></Error></ErrorResponse>", Encoding.UTF8, "text/xml") };

    /// <summary>An RDS with the source instance (retention as given) and no target; DescribeDBInstanceAutomatedBackups as given (null: InvalidAction).</summary>
    private static (RdsOperations, Scripted) Rds(int retention = 14, string? backups = null, bool answersBackups = true)
    {
        var handler = new Scripted((action, form) => action switch
        {
            "DescribeDBInstances" when form.GetValueOrDefault("DBInstanceIdentifier") == Source => Xml(action, $"<DBInstances>{Instance(Source, retention)}</DBInstances>"),
            "DescribeDBInstances" => Error(HttpStatusCode.NotFound, "DBInstanceNotFound"),
            "DescribeDBInstanceAutomatedBackups" when answersBackups => Xml(action, backups ?? Backups),
            "DescribeDBInstanceAutomatedBackups" => Error(HttpStatusCode.BadRequest, "InvalidAction"),
            "RestoreDBInstanceToPointInTime" => Xml(action, $"<DBInstance><DBInstanceIdentifier>{form["TargetDBInstanceIdentifier"]}</DBInstanceIdentifier><DBInstanceStatus>creating</DBInstanceStatus></DBInstance>"),
            _ => Error(HttpStatusCode.BadRequest, "InvalidAction"),
        });
        return (new RdsOperations(new RdsClient(new HttpClient(handler) { BaseAddress = new Uri("http://rds.test/") }, ownsHttp: true)), handler);
    }

    private static PointInTimeRestoreRequest Request(DateTimeOffset? at, string target = "restored") =>
        new() { DbInstanceId = target, SourceDbInstanceId = Source, RestoreTime = at, UseLatestRestorableTime = at is null };

    [Fact]
    public async Task The_request_has_the_time_in_UTC_and_the_settings_copied_from_the_source()
    {
        var (rds, handler) = Rds();
        var local = new DateTimeOffset(2026, 12, 1, 12, 30, 15, TimeSpan.FromHours(-5));
        var plan = await rds.PreparePointInTimeRestoreAsync(Request(local), null, default);
        Assert.Equal(local.ToUniversalTime(), plan.RestoreTime);
        Assert.Equal(Earliest, plan.Source.EarliestRestorableTime);
        Assert.Equal(("db.r6g.large", "real-estate-ai-db-subnets", "real-estate-ai-pg15"), (plan.Request.InstanceClass, plan.Request.SubnetGroup, plan.Request.ParameterGroup));
        Assert.Equal(new[] { "sg-0realestatedb0001" }, plan.Request.VpcSecurityGroupIds);

        var instance = await rds.RestoreToPointInTimeAsync(plan.Request, default);
        Assert.Equal("restored", instance.DbInstanceId);
        var sent = handler.Requests.Single(r => r["Action"] == "RestoreDBInstanceToPointInTime");
        Assert.Equal("2026-12-01T17:30:15.000Z", sent["RestoreTime"]);
        Assert.Equal((Source, "restored"), (sent["SourceDBInstanceIdentifier"], sent["TargetDBInstanceIdentifier"]));
        Assert.False(sent.ContainsKey("UseLatestRestorableTime"));
        Assert.Equal("sg-0realestatedb0001", sent["VpcSecurityGroupIds.VpcSecurityGroupId.1"]);
        Assert.Equal("real-estate-ai-db-subnets", sent["DBSubnetGroupName"]);
    }

    [Fact]
    public async Task The_latest_restorable_time_sends_UseLatestRestorableTime_and_no_time()
    {
        var (rds, handler) = Rds();
        var plan = await rds.PreparePointInTimeRestoreAsync(Request(null), null, default);
        Assert.Null(plan.RestoreTime);
        await rds.RestoreToPointInTimeAsync(plan.Request, default);
        var sent = handler.Requests.Single(r => r["Action"] == "RestoreDBInstanceToPointInTime");
        Assert.Equal("true", sent["UseLatestRestorableTime"]);
        Assert.False(sent.ContainsKey("RestoreTime"));
    }

    [Theory]
    [InlineData(-1)]       // a minute before the earliest restorable time
    [InlineData(1)]        // a minute after the latest
    public async Task A_time_outside_the_window_is_refused_before_any_change_with_the_window_in_the_message(int side)
    {
        var (rds, handler) = Rds();
        var at = side < 0 ? Earliest.AddMinutes(-1) : Latest.AddMinutes(1);
        var ex = await Assert.ThrowsAsync<OpsException>(() => rds.PreparePointInTimeRestoreAsync(Request(at), null, default));
        Assert.Equal("DbRestoreTimeOutsideWindow", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("2026-11-25 02:11:00 to 2026-12-02 09:55:00 UTC", ex.Message);
        Assert.DoesNotContain(handler.Requests, r => r["Action"] == "RestoreDBInstanceToPointInTime");
    }

    [Fact]
    public async Task The_window_edges_themselves_are_accepted()
    {
        var (rds, _) = Rds();
        Assert.Equal(Earliest, (await rds.PreparePointInTimeRestoreAsync(Request(Earliest), null, default)).RestoreTime);
        Assert.Equal(Latest, (await rds.PreparePointInTimeRestoreAsync(Request(Latest), null, default)).RestoreTime);
    }

    [Fact]
    public async Task An_instance_without_automated_backups_is_DbPointInTimeRestoreNotEnabled()
    {
        var (rds, handler) = Rds(retention: 0);
        var ex = await Assert.ThrowsAsync<OpsException>(() => rds.PreparePointInTimeRestoreAsync(Request(null), null, default));
        Assert.Equal("DbPointInTimeRestoreNotEnabled", ex.ErrorId);
        Assert.DoesNotContain(handler.Requests, r => r["Action"] is "RestoreDBInstanceToPointInTime" or "DescribeDBInstanceAutomatedBackups");
    }

    [Fact]
    public async Task A_server_that_does_not_answer_DescribeDBInstanceAutomatedBackups_leaves_the_earliest_time_unknown()
    {
        var (rds, _) = Rds(answersBackups: false);
        var events = new List<OpsEvent>();
        var instance = Assert.Single(await rds.GetInstancesAsync(new InstanceQuery { DbInstanceIds = new[] { Source }, WithRestoreWindow = true }, default).ToListAsync());
        Assert.Null(instance.EarliestRestorableTime);
        Assert.Equal(Latest, instance.LatestRestorableTime);
        Assert.Equal((14, "02:00-03:00", true), (instance.BackupRetentionPeriod, instance.PreferredBackupWindow, instance.StorageEncrypted));
        // Only the latest time is checked then: a time before any backup is the service's to refuse.
        var plan = await rds.PreparePointInTimeRestoreAsync(Request(Earliest.AddDays(-30)), new Progress<OpsEvent>(events.Add), default);
        Assert.Equal(Earliest.AddDays(-30), plan.RestoreTime);
        Assert.Equal("DbRestoreTimeOutsideWindow",
            (await Assert.ThrowsAsync<OpsException>(() => rds.PreparePointInTimeRestoreAsync(Request(Latest.AddSeconds(1)), null, default))).ErrorId);
    }

    [Fact]
    public async Task A_missing_source_is_DBInstanceNotFound_and_a_taken_target_DbTargetInstanceExists()
    {
        var (rds, _) = Rds();
        Assert.Equal("DBInstanceNotFound", (await Assert.ThrowsAsync<OpsException>(() => rds.PreparePointInTimeRestoreAsync(
            Request(null) with { SourceDbInstanceId = "no-such-db" }, null, default))).ErrorId);
        Assert.Equal("DbTargetInstanceExists", (await Assert.ThrowsAsync<OpsException>(() => rds.PreparePointInTimeRestoreAsync(
            Request(null, target: Source), null, default))).ErrorId);
    }

    [Fact]
    public async Task Several_sources_for_one_target_are_RestoreTargetAmbiguous()
    {
        var ex = Assert.Throws<OpsException>(() => RdsOperations.EnsureOneSnapshotPerTarget(new DbRestoreSettings[]
        {
            Request(Earliest.AddDays(1), "t"), new RestoreDbInstanceRequest { DbInstanceId = "t", SnapshotId = "s1" },
        }));
        Assert.Equal("RestoreTargetAmbiguous", ex.ErrorId);
        Assert.Contains("real-estate-ai-db at 2026-11-26 02:11:00 UTC", ex.Message);
        await Task.CompletedTask;
    }
}
