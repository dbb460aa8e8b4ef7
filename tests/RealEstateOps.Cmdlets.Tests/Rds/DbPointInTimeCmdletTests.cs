using System.Text.Json.Nodes;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>Restore-Database's point-in-time sets and Get-DbInstance's restorable window, in a hosted runspace against a sandbox.</summary>
public sealed class DbPointInTimeCmdletTests : IDisposable
{
    private readonly PsSession _s = new();
    private readonly HttpClient _http;
    private readonly string _url;

    public DbPointInTimeCmdletTests()
    {
        _s.SetEnv("REALESTATEOPS_SANDBOX_PG", TestPostgres.AdminConnectionString);
        var start = _s.Run("Start-OpsSandbox -Speed 300; Use-OpsContext sandbox");
        Assert.Empty(start.Errors);
        var instance = start.Objects<Engine.Sandbox.SandboxInstance>().Single();
        _url = instance.Url;
        _http = SandboxClients.Control(instance);
    }

    public void Dispose()
    {
        _s.Run("Stop-OpsSandbox -Confirm:$false");
        _s.Dispose();
        _http.Dispose();
    }

    private long Requests(string operation)
    {
        var counts = JsonNode.Parse(_http.GetStringAsync(_url + "_sandbox/requests").GetAwaiter().GetResult())!;
        return (long?)counts["operations"]?["rds:" + operation] ?? 0;
    }

    [Fact]
    public void WhatIf_makes_no_restore_request_and_a_time_outside_the_window_is_refused_with_its_id()
    {
        var instance = Assert.Single(_s.Run("Get-DbInstance real-estate-ai-db").Objects<DbInstance>());
        Assert.Equal((14, "02:00-03:00", true), (instance.BackupRetentionPeriod, instance.PreferredBackupWindow, instance.StorageEncrypted));
        Assert.NotNull(instance.EarliestRestorableTime);
        Assert.NotNull(instance.LatestRestorableTime);
        Assert.True(instance.EarliestRestorableTime < instance.LatestRestorableTime);

        // -WhatIf: the pre-flight reads, no RestoreDBInstanceToPointInTime; the UTC time in the text; piped from Get-DbInstance.
        var at = instance.LatestRestorableTime!.Value.AddHours(-1);
        var whatIf = _s.Run($"Get-DbInstance real-estate-ai-db | Restore-Database -ToTime ([DateTimeOffset]::Parse('{at:O}').LocalDateTime) -TargetInstanceId pitr-whatif -WhatIf -Verbose");
        Assert.Empty(whatIf.Errors);
        Assert.Empty(whatIf.Output);
        Assert.Contains(whatIf.Verbose, v => v.Contains("security groups sg-0realestatedb0001", StringComparison.Ordinal));
        Assert.Equal(0, Requests("RestoreDBInstanceToPointInTime"));
        var entry = Assert.Single(_s.Run("Get-OpsJournal -Command Restore-Database").Objects<JournalEntry>());
        Assert.Equal(JournalOutcome.WhatIf, entry.Outcome);
        Assert.Contains($"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", entry.Action);

        // Outside the window: DbRestoreTimeOutsideWindow, before any change call, nothing created.
        var early = instance.EarliestRestorableTime!.Value.AddMinutes(-1);
        var refused = _s.Run($"Restore-Database -ToTime ([DateTimeOffset]::Parse('{early:O}').UtcDateTime) -TargetInstanceId pitr-early -Force");
        Assert.Equal("DbRestoreTimeOutsideWindow", Assert.Single(refused.ErrorIds));
        Assert.Equal(0, Requests("RestoreDBInstanceToPointInTime"));
        Assert.Equal("DBInstanceNotFound", Assert.Single(_s.Run("Get-DbInstance pitr-early").ErrorIds));

        // Neither a time nor -UseLatestRestorableTime with the point-in-time source: PowerShell's own parameter-set error.
        Assert.NotNull(_s.Run("Restore-Database -SourceDbInstanceId real-estate-ai-db -TargetInstanceId x -WhatIf").Terminating
                       ?? (object?)_s.Run("Restore-Database -SourceDbInstanceId real-estate-ai-db -TargetInstanceId x -WhatIf").Errors.FirstOrDefault());
    }

    [Fact]
    public void Use_latest_restorable_time_restores_and_waits()
    {
        var restored = _s.Run("Restore-Database -UseLatestRestorableTime -TargetInstanceId pitr-latest -Force -Wait -Timeout 5m");
        Assert.Empty(restored.Errors);
        var instance = Assert.Single(restored.Objects<DbInstance>());
        Assert.Equal(("pitr-latest", "available"), (instance.DbInstanceId, instance.Status));
        Assert.Equal(1, Requests("RestoreDBInstanceToPointInTime"));
        Assert.Equal(1, instance.BackupRetentionPeriod);
        var entry = Assert.Single(_s.Run("Get-OpsJournal -Command Restore-Database").Objects<JournalEntry>());
        Assert.Equal((JournalOutcome.Succeeded, "pitr-latest"), (entry.Outcome, entry.Target));
    }
}
