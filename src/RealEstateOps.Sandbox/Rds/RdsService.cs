using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>An RDS error as the service sends it: code, HTTP status, message.</summary>
internal sealed class RdsFault : Exception
{
    public RdsFault(int status, string code, string message) : base(message) { Status = status; Code = code; }
    public int Status { get; }
    public string Code { get; }
}

/// <summary>
/// RDS (Query protocol, API version 2014-10-31) over the real PostgreSQL server: an instance is a
/// database on it (real-estate-ai-db is the platform database), a snapshot is a real dump of it, a
/// restore creates a new database from a snapshot. Statuses move with the sandbox clock
/// (creating, backing-up, available; PercentProgress grows) and never before the real work is done.
/// Log files are the server's real log. Errors carry RDS's codes and HTTP statuses.
/// </summary>
public sealed partial class RdsService : ISandboxService
{
    public const string SeedInstanceId = "real-estate-ai-db";
    public const int SeedAutomatedSnapshots = 7;
    private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private const string Account = "000000000000";
    private const int MaxPortionBytes = 1024 * 1024;
    private const int DefaultPortionLines = 10_000;

    private readonly ConcurrentDictionary<string, SimInstance> _instances = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SimSnapshot> _snapshots = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();
    private SandboxContext _sandbox = null!;
    private RdsPostgres _pg = null!;

    public string Name => "rds";

    public bool Owns(HttpRequest request) =>
        request.Headers.Authorization.ToString().Contains("/rds/aws4_request", StringComparison.Ordinal) ||
        request.Query["X-Amz-Credential"].ToString().Contains("/rds/", StringComparison.Ordinal);

    public string OperationOf(HttpRequest request)
    {
        if (request.Query["Action"].ToString() is { Length: > 0 } a) return a;
        try { return request.HasFormContentType ? request.Form["Action"].ToString() : request.Method; }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BadHttpRequestException) { return request.Method; }
    }

    public FaultKind ThrottleFault => new(400, "Throttling");

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        var doc = new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", status >= 500 ? "Receiver" : "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", Guid.NewGuid().ToString()));
        return context.Response.WriteAsync(doc.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>A SigV4 signature by one of the sandbox's keys, over the form body too; refusals as RDS's Query API words them.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var result = await sandbox.SigV4.VerifyAsync(context.Request, context.RequestAborted);
        if (result.Ok) return true;
        var (status, code, message) = result.Failure switch
        {
            Security.SigV4Failure.Missing => (403, "MissingAuthenticationToken", "Request is missing Authentication Token"),
            Security.SigV4Failure.Malformed => (400, "IncompleteSignature", result.Message),
            Security.SigV4Failure.MissingDate => (400, "IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."),
            Security.SigV4Failure.UnknownAccessKey => (403, "InvalidClientTokenId", "The security token included in the request is invalid."),
            Security.SigV4Failure.Skewed or Security.SigV4Failure.Expired => (403, "SignatureDoesNotMatch", "Signature expired: " + result.Message),
            _ => (403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."),
        };
        if (!context.Response.HasStarted) await WriteErrorAsync(context, status, code, message);
        return false;
    }

    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox)
    {
        _sandbox = sandbox;
        var platform = sandbox.Platform ?? throw new InvalidOperationException("The RDS sandbox needs the platform database.");
        _pg = new RdsPostgres(platform.AdminConnectionString, sandbox.Options.StateDir);
        Seed(platform);
        endpoints.MapPost("/", Handle);
        endpoints.MapPost(ControlEndpoints.Prefix + "/rds/snapshots", SeedSnapshotsAsync);
    }

    // ---------------------------------------------------------------- seed

    private void Seed(Postgres.PlatformDatabase platform)
    {
        var now = _sandbox.Clock.UtcNow;
        var created = now.AddDays(-400);
        var instance = new SimInstance
        {
            Id = SeedInstanceId, Database = platform.Database, MasterUsername = platform.User, CreateTime = created,
            InstanceClass = "db.r6g.large", SubnetGroup = "real-estate-ai-db-subnets", VpcId = "vpc-0a1b2c3d4e5f60718",
            SecurityGroups = new[] { "sg-0realestatedb0001" }, ParameterGroup = "real-estate-ai-pg15", MultiAZ = true, StorageType = "gp3",
            AllocatedStorage = 100, DeletionProtection = true, CopyTagsToSnapshot = true, AvailabilityZone = "us-east-1a",
            Tags = new(StringComparer.Ordinal) { ["app"] = "real-estate-ai", ["env"] = "production" },
        };
        _instances[instance.Id] = instance;
        // One real dump stands behind the seven daily automated snapshots (backup window 02:00-03:00 UTC).
        var dump = _pg.NewDumpPath();
        var work = Task.Run(() => _pg.DumpAsync(platform.Database, dump, CancellationToken.None));
        for (var day = SeedAutomatedSnapshots; day >= 1; day--)
        {
            var at = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-day).AddHours(2).AddMinutes(4 + day);
            var id = $"rds:{SeedInstanceId}-{at:yyyy-MM-dd-HH-mm}";
            _snapshots[id] = NewSnapshot(id, instance, "automated", at, dump, work, TimeSpan.FromMinutes(6), instance.Tags);
        }
    }

    private SimSnapshot NewSnapshot(string id, SimInstance instance, string type, DateTimeOffset at, string dump, Task work, TimeSpan duration, Dictionary<string, string> tags) => new()
    {
        Id = id, InstanceId = instance.Id, Type = type, CreateTime = at, InstanceCreateTime = instance.CreateTime, DumpFile = dump, Work = work,
        Duration = duration, MasterUsername = instance.MasterUsername, Database = instance.Database, AllocatedStorage = instance.AllocatedStorage,
        StorageType = instance.StorageType, VpcId = instance.VpcId, AvailabilityZone = instance.AvailabilityZone, InstanceClass = instance.InstanceClass, Tags = tags,
    };

    /// <summary>Control endpoint for benchmarks: many manual snapshots at once, sharing one real dump of the instance.</summary>
    private async Task<IResult> SeedSnapshotsAsync(HttpRequest request)
    {
        var body = await request.ReadFromJsonAsync<SeedRequest>(SandboxHost.Json);
        if (body is null || body.Count is < 1 or > 100_000 || !_instances.TryGetValue(body.DbInstanceId ?? SeedInstanceId, out var instance))
            return Results.Json(new { code = "InvalidSeedRequest", message = "Give dbInstanceId (an existing instance) and count (1 to 100000)." }, SandboxHost.Json, statusCode: 400);
        var dump = _pg.NewDumpPath();
        await _pg.DumpAsync(instance.Database, dump, request.HttpContext.RequestAborted);
        var prefix = string.IsNullOrEmpty(body.Prefix) ? "bench" : body.Prefix;
        var now = _sandbox.Clock.UtcNow;
        for (var i = 1; i <= body.Count; i++)
        {
            var id = $"{prefix}-{i:D6}";
            _snapshots[id] = NewSnapshot(id, instance, "manual", now.AddSeconds(-i), dump, Task.CompletedTask, TimeSpan.Zero, new(StringComparer.Ordinal));
        }
        return Results.Json(new { created = body.Count, prefix }, SandboxHost.Json);
    }

    private sealed record SeedRequest(string? DbInstanceId, int Count, string? Prefix);

    // ---------------------------------------------------------------- dispatch

    private async Task Handle(HttpContext http)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in http.Request.Query) p[k] = v.ToString();
        if (http.Request.HasFormContentType)
            foreach (var (k, v) in await http.Request.ReadFormAsync(http.RequestAborted)) p[k] = v.ToString();
        var action = p.GetValueOrDefault("Action") ?? "";
        try
        {
            if (p.GetValueOrDefault("Version") is { } version && version != "2014-10-31")
                throw new RdsFault(400, "InvalidParameterValue", $"Unsupported API version {version}; this endpoint speaks 2014-10-31.");
            XElement result = action switch
            {
                "CreateDBSnapshot" => CreateDBSnapshot(p),
                "DescribeDBSnapshots" => DescribeDBSnapshots(p),
                "DeleteDBSnapshot" => DeleteDBSnapshot(p),
                "RestoreDBInstanceFromDBSnapshot" => RestoreDBInstanceFromDBSnapshot(p),
                "DescribeDBInstances" => DescribeDBInstances(p),
                "DescribeDBLogFiles" => await DescribeDBLogFilesAsync(p, http.RequestAborted),
                "DownloadDBLogFilePortion" => await DownloadDBLogFilePortionAsync(p, http.RequestAborted),
                "" => throw new RdsFault(400, "MissingAction", "The request must contain the parameter Action."),
                _ => throw new RdsFault(400, "InvalidAction", $"The action {action} is not valid for this web service."),
            };
            var doc = new XElement(Ns + action + "Response", result, new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", Guid.NewGuid().ToString())));
            http.Response.ContentType = "text/xml";
            await http.Response.WriteAsync(doc.ToString(SaveOptions.DisableFormatting), http.RequestAborted);
        }
        catch (RdsFault f)
        {
            await WriteErrorAsync(http, f.Status, f.Code, f.Message);
        }
    }

    private static string Required(Dictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new RdsFault(400, "MissingParameter", $"The request must contain the parameter {name}");

    private static bool? OptionalBool(Dictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && v.Length > 0
            ? v.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : v.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
                : throw new RdsFault(400, "InvalidParameterValue", $"Invalid boolean value {v} for {name}.")
            : null;

    private static List<string> Members(Dictionary<string, string> p, string prefix) =>
        p.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(kv.Key[prefix.Length..], out _))
            .OrderBy(kv => int.Parse(kv.Key[prefix.Length..], CultureInfo.InvariantCulture)).Select(kv => kv.Value).ToList();

    private static Dictionary<string, string> Tags(Dictionary<string, string> p)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; p.TryGetValue($"Tags.Tag.{i}.Key", out var key) || p.TryGetValue($"Tags.member.{i}.Key", out key); i++)
            tags[key] = p.GetValueOrDefault($"Tags.Tag.{i}.Value") ?? p.GetValueOrDefault($"Tags.member.{i}.Value") ?? "";
        return tags;
    }

    [GeneratedRegex("^[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)$")]
    private static partial Regex IdentifierShape();

    private static void ValidIdentifier(string id, string parameter, int max)
    {
        if (id.Length > max || !IdentifierShape().IsMatch(id))
            throw new RdsFault(400, "InvalidParameterValue",
                $"The parameter {parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
    }

    private SimInstance Instance(string id) =>
        _instances.TryGetValue(id, out var i) ? i : throw new RdsFault(404, "DBInstanceNotFound", $"DBInstance {id} not found.");

    private SimSnapshot Snapshot(string id) =>
        _snapshots.TryGetValue(id, out var s) ? s : throw new RdsFault(404, "DBSnapshotNotFound", $"DBSnapshot {id} not found.");

    // ---------------------------------------------------------------- snapshots

    private XElement CreateDBSnapshot(Dictionary<string, string> p)
    {
        var instanceId = Required(p, "DBInstanceIdentifier");
        var id = Required(p, "DBSnapshotIdentifier");
        ValidIdentifier(id, "DBSnapshotIdentifier", 255);
        SimSnapshot snapshot;
        lock (_gate)
        {
            var instance = Instance(instanceId);
            if (_snapshots.ContainsKey(id))
                throw new RdsFault(400, "DBSnapshotAlreadyExists", $"Cannot create the snapshot because a snapshot with the identifier {id} already exists.");
            var status = instance.Status(_sandbox.Clock);
            if (status != "available")
                throw new RdsFault(400, "InvalidDBInstanceState", $"Cannot create a snapshot because the database instance {instance.Id} is not currently in the available state (it is {status}).");
            var tags = Tags(p);
            if (instance.CopyTagsToSnapshot)
                foreach (var (k, v) in instance.Tags) tags.TryAdd(k, v);
            var dump = _pg.NewDumpPath();
            var work = Task.Run(() => _pg.DumpAsync(instance.Database, dump, CancellationToken.None));
            snapshot = NewSnapshot(id.ToLowerInvariant(), instance, "manual", _sandbox.Clock.UtcNow, dump, work, TimeSpan.FromMinutes(2), tags);
            _snapshots[snapshot.Id] = snapshot;
        }
        return new XElement(Ns + "CreateDBSnapshotResult", SnapshotXml(snapshot));
    }

    private static readonly string[] SnapshotFilters = { "db-instance-id", "db-snapshot-id", "snapshot-type", "engine", "dbi-resource-id" };

    private XElement DescribeDBSnapshots(Dictionary<string, string> p)
    {
        IEnumerable<SimSnapshot> all = _snapshots.Values;
        if (p.GetValueOrDefault("DBSnapshotIdentifier") is { Length: > 0 } id)
            all = new[] { Snapshot(id) };
        if (p.GetValueOrDefault("DBInstanceIdentifier") is { Length: > 0 } instanceId)
            all = all.Where(s => s.InstanceId.Equals(instanceId, StringComparison.OrdinalIgnoreCase));
        if (p.GetValueOrDefault("SnapshotType") is { Length: > 0 } type)
            all = all.Where(s => s.Type.Equals(type, StringComparison.OrdinalIgnoreCase));
        for (var i = 1; p.TryGetValue($"Filters.Filter.{i}.Name", out var name); i++)
        {
            if (!SnapshotFilters.Contains(name))
                throw new RdsFault(400, "InvalidParameterValue", $"Unrecognized filter name: {name}.");
            var values = Members(p, $"Filters.Filter.{i}.Values.Value.").ToHashSet(StringComparer.OrdinalIgnoreCase);
            all = name switch
            {
                "db-instance-id" => all.Where(s => values.Contains(s.InstanceId) || values.Contains(InstanceArn(s.InstanceId))),
                "db-snapshot-id" => all.Where(s => values.Contains(s.Id) || values.Contains(SnapshotArn(s.Id))),
                "snapshot-type" => all.Where(s => values.Contains(s.Type)),
                "engine" => all.Where(_ => values.Contains("postgres")),
                _ => all.Where(s => values.Contains(ResourceId(s.InstanceId))),
            };
        }
        var ordered = all.OrderBy(s => s.CreateTime).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var (page, marker) = Page(ordered, p);
        return new XElement(Ns + "DescribeDBSnapshotsResult",
            marker is null ? null : new XElement(Ns + "Marker", marker),
            new XElement(Ns + "DBSnapshots", page.Select(SnapshotXml)));
    }

    private static (List<T> Page, string? Marker) Page<T>(List<T> items, Dictionary<string, string> p)
    {
        var max = 100;
        if (p.GetValueOrDefault("MaxRecords") is { Length: > 0 } m)
            if (!int.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out max) || max is < 20 or > 100)
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid value {m} for MaxRecords. Must be between 20 and 100");
        var start = 0;
        if (p.GetValueOrDefault("Marker") is { Length: > 0 } marker)
        {
            try { start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)).Split(':')[1], CultureInfo.InvariantCulture); }
            catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid marker: {marker}");
            }
        }
        var page = items.Skip(start).Take(max).ToList();
        var next = start + page.Count;
        return (page, next < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{next}")) : null);
    }

    private XElement DeleteDBSnapshot(Dictionary<string, string> p)
    {
        var id = Required(p, "DBSnapshotIdentifier");
        SimSnapshot snapshot;
        lock (_gate)
        {
            snapshot = Snapshot(id);
            if (snapshot.Type == "automated")
                throw new RdsFault(400, "InvalidDBSnapshotState", $"Cannot delete the automated snapshot {snapshot.Id}; automated snapshots are deleted when their retention period ends.");
            var (status, _) = snapshot.State(_sandbox.Clock);
            if (status == "creating")
                throw new RdsFault(400, "InvalidDBSnapshotState", $"Cannot delete the snapshot {snapshot.Id} because it is in the {status} state.");
            _snapshots.TryRemove(snapshot.Id, out _);
            if (!_snapshots.Values.Any(s => s.DumpFile == snapshot.DumpFile))
                try { File.Delete(snapshot.DumpFile); } catch (IOException) { }
        }
        var xml = SnapshotXml(snapshot);
        xml.Element(Ns + "Status")!.Value = "deleted";
        return new XElement(Ns + "DeleteDBSnapshotResult", xml);
    }

    // ---------------------------------------------------------------- instances

    private static readonly HashSet<string> SubnetGroups = new(StringComparer.OrdinalIgnoreCase) { "default", "real-estate-ai-db-subnets" };
    private static readonly HashSet<string> ParameterGroups = new(StringComparer.OrdinalIgnoreCase) { "default.postgres15", "default.postgres16", "real-estate-ai-pg15" };

    private XElement RestoreDBInstanceFromDBSnapshot(Dictionary<string, string> p)
    {
        var id = Required(p, "DBInstanceIdentifier");
        var snapshotId = Required(p, "DBSnapshotIdentifier");
        ValidIdentifier(id, "DBInstanceIdentifier", 63);
        var instanceClass = p.GetValueOrDefault("DBInstanceClass");
        if (instanceClass is { Length: > 0 } && !instanceClass.StartsWith("db.", StringComparison.Ordinal))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid DB Instance class: {instanceClass}");
        var subnetGroup = p.GetValueOrDefault("DBSubnetGroupName");
        if (subnetGroup is { Length: > 0 } && !SubnetGroups.Contains(subnetGroup))
            throw new RdsFault(404, "DBSubnetGroupNotFoundFault", $"DBSubnetGroup {subnetGroup} not found.");
        var parameterGroup = p.GetValueOrDefault("DBParameterGroupName");
        if (parameterGroup is { Length: > 0 } && !ParameterGroups.Contains(parameterGroup))
            throw new RdsFault(404, "DBParameterGroupNotFound", $"DBParameterGroup not found: {parameterGroup}");
        var groups = Members(p, "VpcSecurityGroupIds.VpcSecurityGroupId.");
        if (groups.Count == 0) groups = Members(p, "VpcSecurityGroupIds.member.");
        foreach (var g in groups)
            if (!g.StartsWith("sg-", StringComparison.Ordinal)) throw new RdsFault(400, "InvalidParameterValue", $"Invalid security group id: {g}");
        var storage = p.GetValueOrDefault("StorageType");
        if (storage is { Length: > 0 } && storage is not ("gp2" or "gp3" or "io1" or "io2" or "standard"))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid storage type: {storage}");
        if (p.GetValueOrDefault("Port") is { Length: > 0 } port && (!int.TryParse(port, out var portNumber) || portNumber is < 1150 or > 65535))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid port {port}: must be between 1150 and 65535.");

        SimInstance instance;
        lock (_gate)
        {
            var snapshot = Snapshot(snapshotId);
            if (_instances.ContainsKey(id)) throw new RdsFault(400, "DBInstanceAlreadyExists", "DB instance already exists");
            var (status, _) = snapshot.State(_sandbox.Clock);
            if (status != "available")
                throw new RdsFault(400, "InvalidDBSnapshotState", $"Snapshot {snapshot.Id} is not in the available state (it is {status}).");
            var database = id.ToLowerInvariant();
            var work = Task.Run(async () =>
            {
                await snapshot.Work.ConfigureAwait(false);
                await _pg.RestoreAsync(snapshot.DumpFile, database, snapshot.MasterUsername, CancellationToken.None).ConfigureAwait(false);
                AllowPassword(database);
            });
            instance = new SimInstance
            {
                Id = database, Database = database, MasterUsername = snapshot.MasterUsername, CreateTime = _sandbox.Clock.UtcNow,
                CreatingFor = TimeSpan.FromMinutes(5), BackingUpFor = TimeSpan.FromMinutes(2), Work = work,
                InstanceClass = instanceClass is { Length: > 0 } ? instanceClass : snapshot.InstanceClass,
                SubnetGroup = subnetGroup is { Length: > 0 } ? subnetGroup : "default",
                VpcId = snapshot.VpcId,
                SecurityGroups = groups.Count > 0 ? groups.ToArray() : new[] { "sg-0default00000000" },
                ParameterGroup = parameterGroup is { Length: > 0 } ? parameterGroup : "default.postgres15",
                MultiAZ = OptionalBool(p, "MultiAZ") ?? false,
                PubliclyAccessible = OptionalBool(p, "PubliclyAccessible") ?? false,
                StorageType = storage is { Length: > 0 } ? storage : snapshot.StorageType,
                AllocatedStorage = snapshot.AllocatedStorage,
                DeletionProtection = OptionalBool(p, "DeletionProtection") ?? false,
                CopyTagsToSnapshot = OptionalBool(p, "CopyTagsToSnapshot") ?? false,
                AvailabilityZone = snapshot.AvailabilityZone,
                Tags = Tags(p),
            };
            _instances[instance.Id] = instance;
        }
        return new XElement(Ns + "RestoreDBInstanceFromDBSnapshotResult", InstanceXml(instance));
    }

    /// <summary>A restored instance keeps the source's master user and password: the platform password file covers it too.</summary>
    private void AllowPassword(string database)
    {
        var platform = _sandbox.Platform!;
        lock (_gate)
        {
            var lines = File.Exists(platform.PassFile) ? File.ReadAllLines(platform.PassFile).ToList() : new List<string>();
            var line = $"*:{platform.Port}:{database.Replace("\\", "\\\\").Replace(":", "\\:")}:{platform.User}:{platform.Password.Replace("\\", "\\\\").Replace(":", "\\:")}";
            if (!lines.Contains(line)) lines.Add(line);
            Engine.Common.FileUtil.WriteAtomic(platform.PassFile, string.Join("\n", lines) + "\n", ownerOnly: true);
        }
    }

    private XElement DescribeDBInstances(Dictionary<string, string> p)
    {
        IEnumerable<SimInstance> all = _instances.Values;
        if (p.GetValueOrDefault("DBInstanceIdentifier") is { Length: > 0 } id) all = new[] { Instance(id) };
        for (var i = 1; p.TryGetValue($"Filters.Filter.{i}.Name", out var name); i++)
        {
            var values = Members(p, $"Filters.Filter.{i}.Values.Value.").ToHashSet(StringComparer.OrdinalIgnoreCase);
            all = name switch
            {
                "db-instance-id" => all.Where(x => values.Contains(x.Id) || values.Contains(InstanceArn(x.Id))),
                "engine" => all.Where(_ => values.Contains("postgres")),
                _ => throw new RdsFault(400, "InvalidParameterValue", $"Unrecognized filter name: {name}."),
            };
        }
        var (page, marker) = Page(all.OrderBy(x => x.Id, StringComparer.Ordinal).ToList(), p);
        return new XElement(Ns + "DescribeDBInstancesResult",
            marker is null ? null : new XElement(Ns + "Marker", marker),
            new XElement(Ns + "DBInstances", page.Select(InstanceXml)));
    }

    // ---------------------------------------------------------------- logs

    private async Task<XElement> DescribeDBLogFilesAsync(Dictionary<string, string> p, CancellationToken ct)
    {
        Instance(Required(p, "DBInstanceIdentifier"));
        var contains = p.GetValueOrDefault("FilenameContains");
        var files = (await _pg.LogFilesAsync(ct)).Where(f => string.IsNullOrEmpty(contains) || f.Name.Contains(contains, StringComparison.Ordinal))
            .Select(f => (f.Name, Info: new FileInfo(f.Path))).ToList();
        var (page, marker) = Page(files, p.Where(kv => kv.Key != "MaxRecords").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
        return new XElement(Ns + "DescribeDBLogFilesResult",
            new XElement(Ns + "DescribeDBLogFiles", page.Select(f => new XElement(Ns + "DescribeDBLogFilesDetails",
                new XElement(Ns + "LogFileName", f.Name),
                new XElement(Ns + "LastWritten", new DateTimeOffset(f.Info.LastWriteTimeUtc).ToUnixTimeMilliseconds()),
                new XElement(Ns + "Size", f.Info.Length)))),
            marker is null ? null : new XElement(Ns + "Marker", marker));
    }

    /// <summary>
    /// As RDS: with a Marker, the lines after it (up to NumberOfLines, 10000 by default, and 1 MB);
    /// "0" is the start of the file. Without one, the last NumberOfLines lines. Portions end at line ends.
    /// </summary>
    private async Task<XElement> DownloadDBLogFilePortionAsync(Dictionary<string, string> p, CancellationToken ct)
    {
        Instance(Required(p, "DBInstanceIdentifier"));
        var name = Required(p, "LogFileName");
        var file = (await _pg.LogFilesAsync(ct)).FirstOrDefault(f => f.Name == name);
        if (file.Path is null) throw new RdsFault(404, "DBLogFileNotFoundFault", $"DBLog File: {name}, is not found on the DB instance");
        var lines = DefaultPortionLines;
        if (p.GetValueOrDefault("NumberOfLines") is { Length: > 0 } n && (!int.TryParse(n, out lines) || lines < 1))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid value {n} for NumberOfLines.");
        byte[] bytes;
        await using (var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, ct);
        }
        string data;
        long end;
        bool pending;
        if (p.GetValueOrDefault("Marker") is { Length: > 0 } marker)
        {
            var offsetText = marker.Contains(':') ? marker[(marker.IndexOf(':') + 1)..] : marker;
            if (!long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start > bytes.Length)
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid marker: {marker}");
            end = start;
            var count = 0;
            while (end < bytes.Length && count < lines)
            {
                var nl = Array.IndexOf(bytes, (byte)'\n', (int)end);
                var next = nl < 0 ? bytes.Length : nl + 1;
                if (next - start > MaxPortionBytes && count > 0) break;
                end = next;
                count++;
            }
            data = Encoding.UTF8.GetString(bytes, (int)start, (int)(end - start));
            pending = end < bytes.Length;
        }
        else
        {
            end = bytes.Length;
            var start = end;
            var count = 0;
            while (start > 0 && count < lines)
            {
                var nl = start >= 2 ? Array.LastIndexOf(bytes, (byte)'\n', (int)start - 2) : -1;
                var prev = nl + 1;
                if (end - prev > MaxPortionBytes && count > 0) break;
                start = prev;
                count++;
            }
            data = Encoding.UTF8.GetString(bytes, (int)start, (int)(end - start));
            pending = false;
        }
        return new XElement(Ns + "DownloadDBLogFilePortionResult",
            new XElement(Ns + "LogFileData", data),
            new XElement(Ns + "Marker", $"0:{end}"),
            new XElement(Ns + "AdditionalDataPending", pending ? "true" : "false"));
    }

    // ---------------------------------------------------------------- XML

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    private static string InstanceArn(string id) => $"arn:aws:rds:us-east-1:{Account}:db:{id}";
    private static string SnapshotArn(string id) => $"arn:aws:rds:us-east-1:{Account}:snapshot:{id}";
    private static string ResourceId(string id) => "db-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..26];

    private static XElement TagList(Dictionary<string, string> tags) =>
        new(Ns + "TagList", tags.Select(t => new XElement(Ns + "Tag", new XElement(Ns + "Key", t.Key), new XElement(Ns + "Value", t.Value))));

    private XElement SnapshotXml(SimSnapshot s)
    {
        var (status, percent) = s.State(_sandbox.Clock);
        return new XElement(Ns + "DBSnapshot",
            new XElement(Ns + "DBSnapshotIdentifier", s.Id),
            new XElement(Ns + "DBInstanceIdentifier", s.InstanceId),
            new XElement(Ns + "SnapshotCreateTime", Time(s.CreateTime)),
            new XElement(Ns + "Engine", "postgres"),
            new XElement(Ns + "AllocatedStorage", s.AllocatedStorage),
            new XElement(Ns + "Status", status),
            new XElement(Ns + "Port", _pg.Port),
            new XElement(Ns + "AvailabilityZone", s.AvailabilityZone),
            new XElement(Ns + "VpcId", s.VpcId),
            new XElement(Ns + "InstanceCreateTime", Time(s.InstanceCreateTime)),
            new XElement(Ns + "MasterUsername", s.MasterUsername),
            new XElement(Ns + "EngineVersion", _sandbox.Platform!.ServerVersion),
            new XElement(Ns + "LicenseModel", "postgresql-license"),
            new XElement(Ns + "SnapshotType", s.Type),
            new XElement(Ns + "OptionGroupName", "default:postgres-15"),
            new XElement(Ns + "PercentProgress", percent),
            new XElement(Ns + "StorageType", s.StorageType),
            new XElement(Ns + "Encrypted", "false"),
            new XElement(Ns + "DBSnapshotArn", SnapshotArn(s.Id)),
            new XElement(Ns + "IAMDatabaseAuthenticationEnabled", "false"),
            new XElement(Ns + "DbiResourceId", ResourceId(s.InstanceId)),
            TagList(s.Tags),
            new XElement(Ns + "SnapshotTarget", "region"));
    }

    private XElement InstanceXml(SimInstance i)
    {
        var status = i.Status(_sandbox.Clock);
        var hasEndpoint = status is "available" or "backing-up";
        return new XElement(Ns + "DBInstance",
            new XElement(Ns + "DBInstanceIdentifier", i.Id),
            new XElement(Ns + "DBInstanceClass", i.InstanceClass),
            new XElement(Ns + "Engine", "postgres"),
            new XElement(Ns + "DBInstanceStatus", status),
            new XElement(Ns + "MasterUsername", i.MasterUsername),
            new XElement(Ns + "DBName", i.Database),
            hasEndpoint ? new XElement(Ns + "Endpoint", new XElement(Ns + "Address", _pg.Host), new XElement(Ns + "Port", _pg.Port), new XElement(Ns + "HostedZoneId", "Z2R2ITUGPM61AM")) : null,
            new XElement(Ns + "AllocatedStorage", i.AllocatedStorage),
            new XElement(Ns + "InstanceCreateTime", Time(i.CreateTime)),
            new XElement(Ns + "PreferredBackupWindow", "02:00-03:00"),
            new XElement(Ns + "BackupRetentionPeriod", 14),
            new XElement(Ns + "DBSecurityGroups"),
            new XElement(Ns + "VpcSecurityGroups", i.SecurityGroups.Select(g => new XElement(Ns + "VpcSecurityGroupMembership",
                new XElement(Ns + "VpcSecurityGroupId", g), new XElement(Ns + "Status", "active")))),
            new XElement(Ns + "DBParameterGroups", new XElement(Ns + "DBParameterGroup",
                new XElement(Ns + "DBParameterGroupName", i.ParameterGroup), new XElement(Ns + "ParameterApplyStatus", "in-sync"))),
            new XElement(Ns + "AvailabilityZone", i.AvailabilityZone),
            new XElement(Ns + "DBSubnetGroup",
                new XElement(Ns + "DBSubnetGroupName", i.SubnetGroup),
                new XElement(Ns + "DBSubnetGroupDescription", i.SubnetGroup == "default" ? "default" : "Private subnets of the platform VPC"),
                new XElement(Ns + "VpcId", i.VpcId),
                new XElement(Ns + "SubnetGroupStatus", "Complete")),
            new XElement(Ns + "PreferredMaintenanceWindow", "sun:01:00-sun:03:00"),
            new XElement(Ns + "MultiAZ", i.MultiAZ ? "true" : "false"),
            new XElement(Ns + "EngineVersion", _sandbox.Platform!.ServerVersion),
            new XElement(Ns + "AutoMinorVersionUpgrade", "true"),
            new XElement(Ns + "LicenseModel", "postgresql-license"),
            new XElement(Ns + "PubliclyAccessible", i.PubliclyAccessible ? "true" : "false"),
            new XElement(Ns + "StorageType", i.StorageType),
            new XElement(Ns + "DbInstancePort", 0),
            new XElement(Ns + "StorageEncrypted", "false"),
            new XElement(Ns + "DbiResourceId", ResourceId(i.Id)),
            new XElement(Ns + "CopyTagsToSnapshot", i.CopyTagsToSnapshot ? "true" : "false"),
            new XElement(Ns + "DBInstanceArn", InstanceArn(i.Id)),
            new XElement(Ns + "IAMDatabaseAuthenticationEnabled", "false"),
            new XElement(Ns + "DeletionProtection", i.DeletionProtection ? "true" : "false"),
            TagList(i.Tags));
    }
}
