using System.Collections.Concurrent;
using System.Globalization;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>One parameter of the postgres15 family: what DescribeDBParameters says of it, and whether it is a real setting of the sandbox's PostgreSQL.</summary>
internal sealed record RdsParameterSpec(string Name, string ApplyType, string DataType, string? AllowedValues, string Description, string? EngineDefault, bool IsModifiable = true, bool Real = true);

/// <summary>A parameter's value in a group: set by the user (Source user) or the system's, and the apply method it was set with.</summary>
internal sealed record RdsParameterValue(string Value, string Source, string ApplyMethod);

/// <summary>A DB parameter group: AWS's default for the family (not modifiable), or a custom one.</summary>
internal sealed class RdsParameterGroup
{
    public required string Name { get; init; }
    public required string Family { get; init; }
    public required string Description { get; init; }
    public ConcurrentDictionary<string, RdsParameterValue> Values { get; } = new(StringComparer.OrdinalIgnoreCase);
    public bool IsDefault => Name.StartsWith("default.", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The parameter groups (default.postgres15, default.postgres16 and the platform's custom real-estate-ai-pg15) and the catalogue of
/// the postgres family's parameters, with RDS's rules for changing them: the default groups cannot be modified, unknown parameters
/// and values outside the allowed range are InvalidParameterValue, a static parameter cannot be applied immediately.
/// </summary>
internal sealed class RdsParameterGroups
{
    public const string CustomGroup = "real-estate-ai-pg15";

    /// <summary>The groups every sandbox has (a restore may name one of them).</summary>
    public static readonly string[] SeededNames = { "default.postgres15", "default.postgres16", CustomGroup };

    public static readonly IReadOnlyList<RdsParameterSpec> Catalog = new RdsParameterSpec[]
    {
        new("application_name", "dynamic", "string", null, "Sets the application name to be reported in statistics and logs.", null),
        new("autovacuum", "dynamic", "boolean", "0,1", "Starts the autovacuum subprocess.", "1"),
        new("autovacuum_max_workers", "static", "integer", "1-262143", "Sets the maximum number of simultaneously running autovacuum worker processes.", "GREATEST({DBInstanceClassMemory/64371566592},3)"),
        new("autovacuum_naptime", "dynamic", "integer", "1-2147483", "Time to sleep between autovacuum runs.", "15"),
        new("checkpoint_timeout", "dynamic", "integer", "30-86400", "Sets the maximum time between automatic WAL checkpoints.", "300"),
        new("deadlock_timeout", "dynamic", "integer", "1-2147483647", "Sets the time to wait on a lock before checking for deadlock.", "1000"),
        new("effective_cache_size", "dynamic", "integer", "1-2147483647", "Sets the planner's assumption about the size of the disk cache.", "{DBInstanceClassMemory/16384}"),
        new("idle_in_transaction_session_timeout", "dynamic", "integer", "0-2147483647", "Sets the maximum allowed duration of any idling transaction.", "86400000"),
        new("log_connections", "dynamic", "boolean", "0,1", "Logs each successful connection.", null),
        new("log_min_duration_statement", "dynamic", "integer", "-1-2147483647", "Sets the minimum execution time above which statements will be logged.", null),
        new("log_statement", "dynamic", "string", "none,ddl,mod,all", "Sets the type of statements logged.", null),
        new("maintenance_work_mem", "dynamic", "integer", "1024-2147483647", "Sets the maximum memory to be used for maintenance operations.", "GREATEST({DBInstanceClassMemory*1024/63963136},65536)"),
        new("max_connections", "static", "integer", "6-262143", "Sets the maximum number of concurrent connections.", "LEAST({DBInstanceClassMemory/9531392},5000)"),
        new("max_locks_per_transaction", "static", "integer", "10-2147483647", "Sets the maximum number of locks per transaction.", "64"),
        new("max_parallel_workers", "dynamic", "integer", "0-1024", "Sets the maximum number of parallel workers that can be active at one time.", "GREATEST(${DBInstanceVCPU/2},8)"),
        new("max_wal_size", "dynamic", "integer", "2-2147483647", "Sets the WAL size that triggers a checkpoint.", "2048"),
        new("max_worker_processes", "static", "integer", "0-262143", "Sets the maximum number of concurrent worker processes.", "GREATEST(${DBInstanceVCPU*2},8)"),
        new("random_page_cost", "dynamic", "real", "0-2147483647", "Sets the planner's estimate of the cost of a nonsequentially fetched disk page.", null),
        new("rds.force_ssl", "dynamic", "boolean", "0,1", "Force SSL connections.", "1", Real: false),
        new("rds.logical_replication", "static", "boolean", "0,1", "Enables logical decoding.", "0", Real: false),
        new("shared_buffers", "static", "integer", "16-1073741823", "Sets the number of shared memory buffers used by the server.", "{DBInstanceClassMemory/32768}"),
        new("shared_preload_libraries", "static", "list", "auto_explain,orafce,pg_hint_plan,pg_stat_statements,pg_cron,pglogical", "Lists shared libraries to preload into server.", "pg_stat_statements", Real: false),
        new("statement_timeout", "dynamic", "integer", "0-2147483647", "Sets the maximum allowed duration of any statement.", null),
        new("superuser_reserved_connections", "static", "integer", "0-262143", "Sets the number of connection slots reserved for superusers.", "3"),
        new("temp_buffers", "dynamic", "integer", "100-1073741823", "Sets the maximum number of temporary buffers used by each session.", null),
        new("track_activity_query_size", "static", "integer", "100-1048576", "Sets the size reserved for pg_stat_activity.query, in bytes.", "4096"),
        new("wal_buffers", "static", "integer", "-1-262143", "Sets the number of disk-page buffers in shared memory for WAL.", null, IsModifiable: false),
        new("work_mem", "dynamic", "integer", "64-2147483647", "Sets the maximum memory to be used for query workspaces.", null),
    };

    private readonly ConcurrentDictionary<string, RdsParameterGroup> _groups = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="maxConnections">max_connections of the custom group: what the real server runs with when the sandbox starts.</param>
    public RdsParameterGroups(int maxConnections)
    {
        Add(new RdsParameterGroup { Name = "default.postgres15", Family = "postgres15", Description = "Default parameter group for postgres15" });
        Add(new RdsParameterGroup { Name = "default.postgres16", Family = "postgres16", Description = "Default parameter group for postgres16" });
        var custom = new RdsParameterGroup { Name = CustomGroup, Family = "postgres15", Description = "Real Estate AI platform database (PostgreSQL 15, pgvector)" };
        custom.Values["max_connections"] = new(maxConnections.ToString(CultureInfo.InvariantCulture), "user", "pending-reboot");
        custom.Values["shared_preload_libraries"] = new("pg_stat_statements", "user", "pending-reboot");
        custom.Values["log_min_duration_statement"] = new("1000", "user", "immediate");
        custom.Values["idle_in_transaction_session_timeout"] = new("600000", "user", "immediate");
        Add(custom);
    }

    private void Add(RdsParameterGroup g) => _groups[g.Name] = g;

    public IEnumerable<RdsParameterGroup> All => _groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal);

    public bool Exists(string name) => _groups.ContainsKey(name);

    public RdsParameterGroup Group(string name) =>
        _groups.TryGetValue(name, out var g) ? g : throw new RdsFault(404, "DBParameterGroupNotFound", $"DBParameterGroup not found: {name}");

    public static RdsParameterSpec? Spec(string name) => Catalog.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The group's parameters in name order, as DescribeDBParameters lists them: (spec, value, source), filtered by Source when given.</summary>
    public IEnumerable<(RdsParameterSpec Spec, string? Value, string Source, string ApplyMethod)> Parameters(RdsParameterGroup group, string? source)
    {
        foreach (var spec in Catalog.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var (value, src, method) = group.Values.TryGetValue(spec.Name, out var v) ? (v.Value, v.Source, v.ApplyMethod)
                : spec.EngineDefault is { } d ? (d, d.Contains('{') ? "system" : "engine-default", "pending-reboot")
                : ((string?)null, "engine-default", "pending-reboot");
            if (source is null || source.Equals(src, StringComparison.OrdinalIgnoreCase)) yield return (spec, value, src, method);
        }
    }

    /// <summary>
    /// Checks and sets parameters as ModifyDBParameterGroup does (all checked before any is set); returns the specs of the
    /// static ones that changed (they wait for a reboot) and the dynamic ones to apply at once.
    /// </summary>
    public (List<(RdsParameterSpec Spec, string Value)> Static, List<(RdsParameterSpec Spec, string Value)> Dynamic) Modify(string groupName, IReadOnlyList<(string Name, string? Value, string? Method)> changes)
    {
        var group = Group(groupName);
        if (group.IsDefault)
            throw new RdsFault(400, "InvalidDBParameterGroupState", $"Default DBParameterGroup {group.Name} cannot be modified; create a new DBParameterGroup and modify that instead.");
        if (changes.Count is 0 or > 20)
            throw new RdsFault(400, "InvalidParameterValue", "Specify between 1 and 20 parameters.");
        var checkedChanges = new List<(RdsParameterSpec Spec, string Value, string Method)>();
        foreach (var (name, value, method) in changes)
        {
            var spec = Spec(name) ?? throw new RdsFault(400, "InvalidParameterValue", $"Could not find parameter with name: {name}");
            if (!spec.IsModifiable) throw new RdsFault(400, "InvalidParameterValue", $"The parameter {spec.Name} cannot be modified.");
            if (string.IsNullOrEmpty(value)) throw new RdsFault(400, "InvalidParameterValue", $"The parameter value for parameter {spec.Name} must be provided.");
            if (method is not ("immediate" or "pending-reboot"))
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid apply method {method ?? "(none)"} for parameter {spec.Name}: use immediate or pending-reboot.");
            if (spec.ApplyType == "static" && method == "immediate")
                throw new RdsFault(400, "InvalidParameterCombination", $"cannot use immediate apply method for static parameter");
            if (spec.DataType == "integer")
            {
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                    throw new RdsFault(400, "InvalidParameterValue", $"Value: {value} is outside of range: {spec.AllowedValues} for parameter: {spec.Name}");
                var bounds = spec.AllowedValues!.StartsWith('-') ? ("-" + spec.AllowedValues[1..].Split('-')[0], spec.AllowedValues[1..].Split('-')[1]) : (spec.AllowedValues.Split('-')[0], spec.AllowedValues.Split('-')[1]);
                if (n < long.Parse(bounds.Item1, CultureInfo.InvariantCulture) || n > long.Parse(bounds.Item2, CultureInfo.InvariantCulture))
                    throw new RdsFault(400, "InvalidParameterValue", $"Value: {value} is outside of range: {spec.AllowedValues} for parameter: {spec.Name}");
            }
            checkedChanges.Add((spec, value, method));
        }
        var statics = new List<(RdsParameterSpec, string)>();
        var dynamics = new List<(RdsParameterSpec, string)>();
        foreach (var (spec, value, method) in checkedChanges)
        {
            group.Values[spec.Name] = new RdsParameterValue(value, "user", method);
            (spec.ApplyType == "static" ? statics : dynamics).Add((spec, value));
        }
        return (statics, dynamics);
    }
}
