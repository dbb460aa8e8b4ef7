using System.Management.Automation;
using Npgsql;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>The RDS and backup cmdlets in a hosted runspace against a sandbox started with Start-OpsSandbox.</summary>
public sealed class RdsCmdletTests : IDisposable
{
    private readonly OpsSandboxSession _sandbox = new(speed: 300);
    private PsSession _s => _sandbox.Shell;

    public void Dispose() => _sandbox.Dispose();

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];

    private long Requests(string operation) => _sandbox.Requests(operation);

    [Fact]
    public void Snapshot_restore_and_verify_through_the_pipeline()
    {
        var automated = _s.Run("Get-Snapshot -DbInstanceId real-estate-ai-db -SnapshotType automated");
        Assert.Empty(automated.Errors);
        Assert.InRange(automated.Objects<DbSnapshot>().Count(), 7, 14); // seven seeded days, one more per backup window the fast clock has passed

        var id = Unique("manual");
        var created = _s.Run($"New-DbSnapshot -SnapshotId {id} -Tag @{{ reason = 'test' }} -Wait");
        Assert.Empty(created.Errors);
        var snapshot = Assert.Single(created.Objects<DbSnapshot>());
        Assert.Equal(("available", "manual", "test"), (snapshot.Status, snapshot.SnapshotType, snapshot.Tags["reason"]));

        var taken = _s.Run($"New-DbSnapshot -SnapshotId {id}");
        Assert.Equal("DbSnapshotIdTaken", Assert.Single(taken.ErrorIds));
        Assert.Contains("-SnapshotId", taken.Errors[0].Exception.Message);

        var mixed = _s.Run($"Get-DbSnapshot {id}, no-such-snapshot");
        Assert.Single(mixed.Objects<DbSnapshot>());
        Assert.Equal("DBSnapshotNotFound", Assert.Single(mixed.ErrorIds));

        var target = Unique("restored");
        var restored = _s.Run($"Get-DbSnapshot {id} | Restore-Database -TargetInstanceId {target} -Force -Wait | Test-DbConnection");
        Assert.Empty(restored.Errors);
        var login = Assert.Single(restored.Objects<DbConnectionResult>());
        Assert.True(login.IsReady, login.Error);
        Assert.Equal(target, login.Database);

        var instance = Assert.Single(_s.Run($"Get-DbInstance {target}").Objects<DbInstance>());
        Assert.Equal(("available", "real-estate-ai-db-subnets"), (instance.Status, instance.SubnetGroup));
        Assert.Equal(new[] { "sg-0realestatedb0001" }, instance.VpcSecurityGroupIds);

        // Objects from other AWS tooling bind by the AWS field name; -WhatIf makes no restore call.
        var before = Requests("RestoreDBInstanceFromDBSnapshot");
        var whatIf = _s.Run($"[pscustomobject]@{{ DBSnapshotIdentifier = '{id}' }} | Restore-Database -TargetInstanceId {Unique("whatif")} -WhatIf");
        Assert.Empty(whatIf.Errors);
        Assert.Equal(before, Requests("RestoreDBInstanceFromDBSnapshot"));

        var exists = _s.Run($"Restore-Database {id} -TargetInstanceId {target} -Force");
        Assert.Equal("DbTargetInstanceExists", Assert.Single(exists.ErrorIds));
        var invalid = _s.Run($"Restore-Database {id} -TargetInstanceId 'bad--name' -Force; New-DbSnapshot -SnapshotId '9lives'");
        Assert.Equal(new[] { "DbInstanceIdInvalid", "DbSnapshotIdInvalid" }, invalid.ErrorIds);
        Assert.Equal(before, Requests("RestoreDBInstanceFromDBSnapshot"));

        Assert.Empty(_s.Run($"Remove-DbSnapshot {id} -WhatIf").Errors);
        Assert.Single(_s.Run($"Get-DbSnapshot {id}").Objects<DbSnapshot>());
        var removed = _s.Run($"Get-DbSnapshot {id} | Remove-DbSnapshot -Force; Get-DbSnapshot {id}");
        Assert.Equal("DBSnapshotNotFound", Assert.Single(removed.ErrorIds));
        var automatedDelete = _s.Run("Get-DbSnapshot -DbInstanceId real-estate-ai-db -SnapshotType automated | Select-Object -First 1 | Remove-DbSnapshot -Force");
        Assert.Equal("InvalidDBSnapshotState", Assert.Single(automatedDelete.ErrorIds));

        var journal = _s.Run("Get-OpsJournal -Command Remove-DbSnapshot, Restore-Database, New-DbSnapshot").Objects<JournalEntry>().ToList();
        Assert.Contains(journal, e => e.Command == "Restore-Database" && e.Outcome == JournalOutcome.Succeeded && e.Target == target);
        Assert.Contains(journal, e => e.Command == "Restore-Database" && e.Outcome == JournalOutcome.WhatIf);
        Assert.Contains(journal, e => e.Command == "Remove-DbSnapshot" && e.Outcome == JournalOutcome.WhatIf);
        Assert.Contains(journal, e => e.Command == "Remove-DbSnapshot" && e.Outcome == JournalOutcome.Failed && e.ErrorId == "InvalidDBSnapshotState");
    }

    [Fact]
    public void A_change_with_wait_is_one_journal_entry_that_covers_the_wait()
    {
        var id = Unique("waited");
        Assert.Empty(_s.Run($"New-DbSnapshot -SnapshotId {id} -Wait").Errors);
        var target = Unique("restored");
        Assert.Empty(_s.Run($"Restore-Database {id} -TargetInstanceId {target} -Force -Wait").Errors);

        // The sandbox makes a snapshot in 2 simulated minutes and a restore in 7 (creating, then backing-up): at -Speed 300
        // neither wait can end sooner than that in real time, so an entry that covers its wait lasts at least as long.
        var snapshot = Assert.Single(_s.Run($"Get-OpsJournal -Target {id}").Objects<JournalEntry>());
        Assert.Equal((JournalOutcome.Succeeded, "New-DbSnapshot"), (snapshot.Outcome, snapshot.Command));
        Assert.True(snapshot.DurationMs >= 2 * 60_000 / 300, $"New-DbSnapshot -Wait journaled {snapshot.DurationMs} ms");
        var restore = Assert.Single(_s.Run($"Get-OpsJournal -Target {target}").Objects<JournalEntry>());
        Assert.Equal((JournalOutcome.Succeeded, "Restore-Database"), (restore.Outcome, restore.Command));
        Assert.True(restore.DurationMs >= 7 * 60_000 / 300, $"Restore-Database -Wait journaled {restore.DurationMs} ms");
    }

    [Fact]
    public void A_piped_restored_instance_gives_the_secret_its_own_database()
    {
        var id = Unique("secret");
        Assert.Empty(_s.Run($"New-DbSnapshot -SnapshotId {id} -Wait").Errors);
        var target = Unique("restored");
        // A database of the target's name is already on the server (as a sandbox that shared it would leave one): not ours to touch.
        using (var conn = new NpgsqlConnection(TestPostgres.AdminConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"create database \"{target}\"", conn);
            cmd.ExecuteNonQuery();
        }
        Assert.Empty(_s.Run($"Restore-Database {id} -TargetInstanceId {target} -Force -Wait").Errors);

        // The restore created a database of its own on the sandbox's server, and the instance says which (RDS's DBName).
        var instance = Assert.Single(_s.Run($"Get-DbInstance {target}").Objects<DbInstance>());
        Assert.StartsWith(target + "-", instance.DbName);
        var login = Assert.Single(_s.Run($"Get-DbInstance {target} | Test-DbConnection").Objects<DbConnectionResult>());
        Assert.True(login.IsReady, login.Error);
        Assert.Equal(instance.DbName, login.Database);

        var r = _s.Run($$"""
            $cred = [pscredential]::new('real_estate_app', (ConvertTo-SecureString 'not-used-here' -AsPlainText -Force))
            Get-DbInstance {{target}} | Set-DbConnectionSecret -Credential $cred -Force -PassThru
            """);
        Assert.Empty(r.Errors);
        var secret = Assert.Single(r.Objects<Engine.Kubernetes.DbConnectionSecret>());
        Assert.Equal((instance.Address, instance.Port, instance.DbName), (secret.Host, (int?)secret.Port, secret.Database));

        // As on RDS, the master user owns what the restore brought (the platform's tables are its own): a dump replaces it.
        var file = Path.Combine(_s.Home, "replace.dump");
        var replaced = _s.Run($"Export-Database '{file}' | Import-Database -Database {instance.DbName} -Replace -Force");
        Assert.Empty(replaced.Errors);
        Assert.True(Assert.Single(replaced.Objects<DatabaseImport>()).Replaced);
        // The database that was there before is as it was: empty.
        using var before = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnectionString) { Database = target, Pooling = false }.ConnectionString);
        before.Open();
        using var tables = new NpgsqlCommand("select count(*) from pg_tables where schemaname = 'public'", before);
        Assert.Equal(0L, (long)tables.ExecuteScalar()!);
    }

    [Fact]
    public void An_empty_snapshot_id_is_invalid_and_creates_nothing()
    {
        var before = Requests("CreateDBSnapshot");
        var r = _s.Run("New-DbSnapshot -SnapshotId ''");
        Assert.Equal("DbSnapshotIdInvalid", Assert.Single(r.ErrorIds));
        Assert.Contains("empty", r.Errors[0].Exception.Message);
        Assert.Empty(r.Objects<DbSnapshot>());
        Assert.Equal(before, Requests("CreateDBSnapshot"));
    }

    [Fact]
    public void Several_snapshots_for_one_target_are_refused_before_any_change_and_every_client_is_disposed()
    {
        var count = _s.Run("Get-DbSnapshot").Objects<DbSnapshot>().Count();
        Assert.True(count >= 2, $"the sandbox has {count} snapshots");
        var before = Requests("RestoreDBInstanceFromDBSnapshot");
        var open = RealEstateOps.Commands.Rds.RdsCommandBase.OpenClients;
        var target = Unique("crowded");

        var refused = _s.Run($"Get-DbSnapshot | Restore-Database -TargetInstanceId {target} -Force");
        var error = Assert.Single(refused.Errors);
        Assert.Equal("RestoreTargetAmbiguous", refused.ErrorIds.Single());
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains($"{count} snapshots", error.Exception.Message);
        Assert.Contains("Get-DbSnapshot -Latest | Restore-Database", error.Exception.Message);
        Assert.Empty(refused.Objects<DbInstance>());

        // -WhatIf says so too, instead of a "What if" per snapshot.
        var whatIf = _s.Run($"Get-DbSnapshot | Restore-Database -TargetInstanceId {target} -WhatIf");
        Assert.Equal(new[] { "RestoreTargetAmbiguous" }, whatIf.ErrorIds);
        Assert.Equal(before, Requests("RestoreDBInstanceFromDBSnapshot"));
        Assert.Equal(new[] { "DBInstanceNotFound" }, _s.Run($"Get-DbInstance {target}").ErrorIds);

        // The clients of both commands were disposed although the pipeline ended with a terminating error.
        Assert.Equal(open, RealEstateOps.Commands.Rds.RdsCommandBase.OpenClients);

        // One input is the happy path.
        var one = _s.Run($"Get-DbSnapshot -Latest | Restore-Database -TargetInstanceId {target} -WhatIf");
        Assert.Empty(one.Errors);
        var journal = _s.Run("Get-OpsJournal -Command Restore-Database").Objects<JournalEntry>().ToList();
        Assert.Equal(2, journal.Count(e => e.Outcome == JournalOutcome.Failed && e.ErrorId == "RestoreTargetAmbiguous" && e.Target == target));
        Assert.Single(journal, e => e.Outcome == JournalOutcome.WhatIf);
    }

    [Fact]
    public void Listing_streams_pages_so_select_first_stops_fetching()
    {
        _sandbox.Post("_sandbox/rds/snapshots", "{\"dbInstanceId\":\"real-estate-ai-db\",\"count\":450,\"prefix\":\"many\"}");
        _sandbox.ResetRequests();
        var first = _s.Run("Get-DbSnapshot | Select-Object -First 5");
        Assert.Equal(5, first.Objects<DbSnapshot>().Count());
        Assert.Equal(1, Requests("DescribeDBSnapshots"));

        var all = _s.Run("Get-DbSnapshot 'many-*' -PageSize 100");
        Assert.Equal(450, all.Objects<DbSnapshot>().Count());
        var latest = Assert.Single(_s.Run("Get-DbSnapshot -Latest").Objects<DbSnapshot>());
        Assert.Equal("many-000001", latest.SnapshotId);
    }

    [Fact]
    public void Completion_offers_live_instance_and_snapshot_names()
    {
        var instances = _s.Run("(TabExpansion2 -inputScript 'Get-DbInstance -DbInstanceId real' -cursorColumn 33).CompletionMatches.CompletionText");
        Assert.Contains("real-estate-ai-db", instances.Output.Select(o => o.ToString()));
        var snapshots = _s.Run("(TabExpansion2 -inputScript 'Restore-Database -SnapshotId rds:' -cursorColumn 33).CompletionMatches.CompletionText");
        var texts = snapshots.Output.Select(o => o.ToString()).ToList();
        Assert.Equal(7, texts.Count);
        Assert.All(texts, t => Assert.StartsWith("'rds:real-estate-ai-db-", t));
        // Log file names of the context's instance, or of the -DbInstanceId typed, not file paths.
        var logs = _s.Run("(TabExpansion2 -inputScript 'Get-DbLog -LogFileName err' -cursorColumn 26).CompletionMatches.CompletionText");
        Assert.Contains("error/postgresql.log", logs.Output.Select(o => o.ToString()));
        Assert.All(logs.Output.Select(o => o.ToString()), t => Assert.StartsWith("error/", t));
        var typed = _s.Run("(TabExpansion2 -inputScript 'Get-DbLog -DbInstanceId real-estate-ai-db error' -cursorColumn 47).CompletionMatches.CompletionText");
        Assert.Contains("error/postgresql.log", typed.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Logs_are_listed_and_read_as_lines_with_tail_and_pattern()
    {
        var files = _s.Run("Get-DbLogFile").Objects<DbLogFile>().ToList();
        Assert.Contains(files, f => f.LogFileName == "error/postgresql.log");
        var tail = _s.Run("Get-DbLogFile | Where-Object LogFileName -eq 'error/postgresql.log' | Get-DbLog -Tail 3").Objects<DbLogLine>().ToList();
        Assert.InRange(tail.Count, 1, 3);
        Assert.All(tail, l => Assert.Null(l.LineNumber));
        var matching = _s.Run("Get-DbLog error/postgresql.log -Pattern 'LOG:'").Objects<DbLogLine>().ToList();
        Assert.NotEmpty(matching);
        Assert.All(matching, l => Assert.Contains("LOG:", l.Line));
        Assert.Equal("LogPatternInvalid", Assert.Single(_s.Run("Get-DbLog error/postgresql.log -Pattern '('").ErrorIds));
        Assert.Equal("DBLogFileNotFoundFault", Assert.Single(_s.Run("Get-DbLog error/nope.log").ErrorIds));
    }

    [Fact]
    public void Ctrl_C_during_a_wait_stops_at_once_and_says_what_is_still_in_progress()
    {
        _sandbox.Control.PutAsync("_sandbox/clock", new StringContent("{\"speed\":0.001}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult().Dispose();
        var id = Unique("slow");
        using var ps = _s.Begin($"New-DbSnapshot -SnapshotId {id} -Wait", out var handle);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Requests("DescribeDBSnapshots") < 3 && DateTime.UtcNow < deadline) Thread.Sleep(100);
        ps.Stop();
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(handle));

        // One entry for the change and its wait: the snapshot was created, the wait was stopped, AWS goes on.
        var journal = _s.Run($"Get-OpsJournal -Target {id}").Objects<JournalEntry>().ToList();
        var stopped = Assert.Single(journal);
        Assert.Equal((JournalOutcome.Failed, "WaitStopped"), (stopped.Outcome, stopped.ErrorId));
        Assert.StartsWith("Create", stopped.Action, StringComparison.Ordinal);
        Assert.Contains("The change was made", stopped.Message);
        Assert.Contains("still in progress", stopped.Message);
        Assert.Contains("creating", stopped.Message);
        Assert.Equal("creating", Assert.Single(_s.Run($"Get-DbSnapshot {id}").Objects<DbSnapshot>()).Status);
    }

    [Fact]
    public void Export_to_a_file_and_to_s3_then_import_refusing_a_non_empty_target()
    {
        var target = "imp_" + Guid.NewGuid().ToString("N")[..10];
        var user = _s.Run("(Get-OpsContext sandbox).DbUser").Output.Single().ToString();
        using (var conn = new NpgsqlConnection(TestPostgres.AdminConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"create database {target} owner \"{user}\"", conn);
            cmd.ExecuteNonQuery();
        }
        var file = Path.Combine(_s.Home, "backup.dump");
        var exported = _s.Run($"Export-Database -Destination '{file}'");
        Assert.Empty(exported.Errors);
        var artifact = Assert.Single(exported.Objects<BackupArtifact>());
        Assert.Equal(new FileInfo(file).Length, artifact.Size);
        Assert.Equal("BackupFileExists", Assert.Single(_s.Run($"Export-Database -Destination '{file}'").ErrorIds));

        var key = $"s3://real-estate-ai-backups/cmdlet-test/{Guid.NewGuid():N}.dump";
        var toS3 = _s.Run($"Export-Database {key}");
        Assert.Empty(toS3.Errors);
        Assert.Equal(artifact.TableCount, Assert.Single(toS3.Objects<BackupArtifact>()).TableCount);

        // The master user's password, given as a credential this time (the sandbox's password file has it for every database too).
        var credential = "(New-Object pscredential '" + user + "', (ConvertTo-SecureString (Get-Content (Get-OpsContext sandbox).DbPassFile | Select-Object -First 1).Split(':')[-1] -AsPlainText -Force))";
        var imported = _s.Run($"Import-Database {key} -Database {target} -Credential {credential} -Force");
        Assert.Empty(imported.Errors);
        Assert.Equal(artifact.TableCount, Assert.Single(imported.Objects<DatabaseImport>()).TableCount);

        var refused = _s.Run($"Get-Item '{file}' | Out-Null; Export-Database -Destination '{file}' -Overwrite | Import-Database -Database {target} -Credential {credential} -Confirm:$false");
        Assert.Equal("DbTargetNotEmpty", Assert.Single(refused.ErrorIds));
        var whatIf = _s.Run($"Import-Database '{file}' -Database {target} -Credential {credential} -Replace -WhatIf");
        Assert.Equal("DbTargetNotEmpty", Assert.Single(_s.Run($"Import-Database '{file}' -Database {target} -Credential {credential} -Force -WhatIf").ErrorIds)); // -Force only skips the prompt
        Assert.Empty(whatIf.Errors);
        Assert.Empty(whatIf.Objects<DatabaseImport>());
    }

    [Fact]
    public void Exporting_a_database_that_is_not_there_is_DbDatabaseNotFound()
    {
        // SQLSTATE 3D000, not a missing password: the context's password file is the master user's, for every database.
        var file = Path.Combine(_s.Home, "nodb.dump");
        var missing = _s.Run($"Export-Database '{file}' -Database no_such_db");
        Assert.Equal("DbDatabaseNotFound", Assert.Single(missing.ErrorIds));
        Assert.Contains("no_such_db", missing.Errors[0].Exception.Message);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void A_url_other_than_s3_says_what_is_accepted()
    {
        var http = _s.Run("Export-Database http://host/x.dump; Import-Database https://host/x.dump -Database restore_check");
        Assert.Equal(new[] { "BackupLocationInvalid", "BackupLocationInvalid" }, http.ErrorIds);
        Assert.All(http.Errors, e => Assert.Contains("s3://bucket/key", e.Exception.Message));
        Assert.Contains("local file path", http.Errors[0].Exception.Message);
    }

    [Fact]
    public void An_export_to_an_existing_object_is_refused_before_pg_dump_connects()
    {
        // Refused before pg_dump starts: the server's log gains no line of a dump cut off mid-transaction.
        var key = $"s3://real-estate-ai-backups/cmdlet-test/{Guid.NewGuid():N}.dump";
        Assert.Empty(_s.Run($"Export-Database {key}").Errors);
        const string cutOff = "Get-DbLog error/postgresql.log -Pattern 'unexpected EOF|[Cc]onnection reset by peer'";
        var before = _s.Run(cutOff).Objects<DbLogLine>().Count();
        for (var i = 0; i < 3; i++)
            Assert.Equal("BackupObjectExists", Assert.Single(_s.Run($"Export-Database {key}").ErrorIds));
        Thread.Sleep(1000); // the server logs a client that went away as soon as it notices; give it that moment
        Assert.Equal(before, _s.Run(cutOff).Objects<DbLogLine>().Count());
    }

    // ---------------------------------------------------------------- point-in-time restores

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
