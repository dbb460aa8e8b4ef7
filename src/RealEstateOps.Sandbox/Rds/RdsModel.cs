using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>An emulated DB instance: a database on the sandbox's PostgreSQL server.</summary>
internal sealed class RdsInstance
{
    public required string Id { get; init; }
    /// <summary>The PostgreSQL database that is this instance's data.</summary>
    public required string Database { get; init; }
    public required string MasterUsername { get; init; }
    public required DateTimeOffset CreateTime { get; init; }
    /// <summary>Simulated time the instance stays creating, then backing-up (zero for the seeded one).</summary>
    public TimeSpan CreatingFor { get; init; }
    public TimeSpan BackingUpFor { get; init; }
    /// <summary>The real work behind the status (a pg_restore); the instance is not available before it ends.</summary>
    public Task Work { get; init; } = Task.CompletedTask;
    public string InstanceClass { get; set; } = "db.r6g.large";
    public string SubnetGroup { get; init; } = "default";
    public string VpcId { get; init; } = "vpc-0sandbox00000000";
    public string[] SecurityGroups { get; init; } = Array.Empty<string>();
    public string ParameterGroup { get; init; } = "default.postgres15";
    public bool MultiAZ { get; init; }
    public bool PubliclyAccessible { get; init; }
    public string StorageType { get; init; } = "gp3";
    public int AllocatedStorage { get; init; } = 100;
    public bool DeletionProtection { get; init; }
    public bool CopyTagsToSnapshot { get; init; }
    public string AvailabilityZone { get; init; } = "us-east-1a";
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
    /// <summary>Days automated backups are kept; 0 turns automated backups (and point-in-time restores) off.</summary>
    public int BackupRetentionPeriod { get; init; }
    /// <summary>The daily backup window (hh24:mi-hh24:mi, UTC).</summary>
    public string PreferredBackupWindow { get; init; } = "02:00-03:00";
    public bool StorageEncrypted { get; init; }
    public string? KmsKeyId { get; init; }
    /// <summary>The dump the instance was restored from (its initial automated snapshot shares it), when it was restored.</summary>
    public string? InitialDump { get; init; }
    /// <summary>The engine version after a minor version upgrade (db-upgrade); null: the server's own.</summary>
    public string? EngineVersion { get; set; }
    public string? FailureReason => Work.IsFaulted ? Work.Exception?.InnerException?.Message : null;

    private readonly object _gate = new();
    private RdsInstanceChange? _change;

    /// <summary>Set when a DeleteDBInstance has finished: the instance is gone from the store; its status is "deleted".</summary>
    public bool Deleted { get; set; }

    /// <summary>in-sync, or pending-reboot while a static parameter change of its group waits for a reboot.</summary>
    public string ParameterApplyStatus { get; set; } = "in-sync";
    /// <summary>A class change not applied yet (PendingModifiedValues): in the next maintenance window, or while modifying.</summary>
    public string? PendingInstanceClass { get; set; }
    /// <summary>Static parameter changes of its group that wait for a reboot (guarded by the store's lock).</summary>
    public Dictionary<string, (RdsParameterSpec Spec, string Value)> PendingStatic { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts a reboot or a modification: the status is <paramref name="status"/> until <paramref name="duration"/> of sandbox time has passed and <paramref name="work"/> has ended; then <paramref name="done"/> runs once.</summary>
    public void Begin(string status, SandboxClock clock, TimeSpan duration, Task work, Action done)
    {
        lock (_gate) _change = new RdsInstanceChange(status, clock.UtcNow + duration, work, done);
    }

    public string Status(SandboxClock clock)
    {
        if (Deleted) return "deleted";
        bool deleting;
        lock (_gate) deleting = _change?.Status == "deleting";
        if (!deleting)
        {
            if (Work.IsFaulted) return "failed";
            var elapsed = clock.UtcNow - CreateTime;
            if (elapsed < CreatingFor || !Work.IsCompleted) return "creating";
            if (elapsed < CreatingFor + BackingUpFor) return "backing-up";
        }
        RdsInstanceChange? finished = null;
        lock (_gate)
        {
            if (_change is { } change)
            {
                if (clock.UtcNow < change.Until || !change.Work.IsCompleted) return change.Status;
                _change = null;
                finished = change;
            }
        }
        // Outside this instance's lock: completing takes the store's lock, which callers may hold while they ask for the status.
        finished?.Done();
        return Deleted ? "deleted" : "available";
    }
}

/// <summary>An emulated DB snapshot: a pg_dump of the instance's database, available once the dump is done and its simulated duration passed.</summary>
internal sealed class RdsSnapshot
{
    public required string Id { get; init; }
    public required string InstanceId { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset CreateTime { get; init; }
    public required DateTimeOffset InstanceCreateTime { get; init; }
    public required string DumpFile { get; init; }
    public TimeSpan Duration { get; init; }
    public Task Work { get; init; } = Task.CompletedTask;
    public string MasterUsername { get; init; } = "";
    public string Database { get; init; } = "";
    public int AllocatedStorage { get; init; } = 100;
    public string StorageType { get; init; } = "gp3";
    public string VpcId { get; init; } = "";
    public string AvailabilityZone { get; init; } = "us-east-1a";
    public string InstanceClass { get; init; } = "db.r6g.large";
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
    /// <summary>A snapshot of an encrypted instance is encrypted with the instance's key.</summary>
    public bool Encrypted { get; init; }
    public string? KmsKeyId { get; init; }

    public (string Status, int Percent) State(SandboxClock clock)
    {
        if (Work.IsFaulted) return ("failed", 0);
        var progress = clock.Progress(CreateTime, Duration);
        if (progress >= 1 && Work.IsCompleted) return ("available", 100);
        return ("creating", Math.Min(99, (int)(progress * 100)));
    }
}

/// <summary>A reboot or modification in progress: its status until a sandbox time and the end of its real work, and what completes it.</summary>
internal sealed record RdsInstanceChange(string Status, DateTimeOffset Until, Task Work, Action Done);
