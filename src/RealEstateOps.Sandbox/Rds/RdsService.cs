using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;
using static RealEstateOps.Sandbox.Rds.RdsXml;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// RDS (Query protocol, API version 2014-10-31) over the real PostgreSQL server: an instance is a
/// database on it (real-estate-ai-db is the platform database), a snapshot is a real dump of it, a
/// restore creates a new database from a snapshot. Statuses move with the sandbox clock
/// (creating, backing-up, available; PercentProgress grows) and never before the real work is done.
/// Log files are the server's real log. Errors carry RDS's codes and HTTP statuses. This class only routes:
/// the parameters are <see cref="RdsParameters"/>, the state <see cref="RdsStore"/>, the log files <see cref="RdsLogs"/>
/// and the wire format <see cref="RdsXml"/>.
/// </summary>
public sealed class RdsService : ISandboxService
{
    public const string SeedInstanceId = RdsStore.SeedInstanceId;
    public const int SeedAutomatedSnapshots = RdsStore.SeedAutomatedSnapshots;

    private static readonly string[] SnapshotFilters = { "db-instance-id", "db-snapshot-id", "snapshot-type", "engine", "dbi-resource-id" };

    private RdsStore _store = null!;
    private RdsLogs _logs = null!;
    private RdsXml _xml = null!;
    private RdsConnectionFault _connectionFault = null!;
    private RdsPendingMaintenance _pendingMaintenance = null!;
    private readonly Ec2Service _ec2;

    /// <param name="ec2">EC2 shares the Query protocol's POST /: requests signed for ec2 go to it.</param>
    public RdsService(Ec2Service ec2) => _ec2 = ec2;

    /// <summary>The connection-exhaustion fault's control endpoint (POST to open, GET to read, DELETE to release).</summary>
    public const string ConnectionFaultPath = ControlEndpoints.Prefix + "/faults/db-connections";

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
        return context.Response.WriteAsync(Error(status, code, message));
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
        var platform = sandbox.Platform ?? throw new InvalidOperationException("The RDS sandbox needs the platform database.");
        var pg = new RdsPostgres(platform.AdminConnectionString, sandbox.Options.StateDir);
        _store = new RdsStore(sandbox.Clock, platform, pg);
        _logs = new RdsLogs(pg, Path.Combine(sandbox.Options.StateDir, "rds", "logs"));
        _xml = new RdsXml(sandbox.Clock, pg.Host, pg.Port, platform.ServerVersion);
        _ec2.Network.DbPort = pg.Port;
        _connectionFault = new RdsConnectionFault(platform.AppConnectionString, platform.AdminConnectionString);
        var log = endpoints.ServiceProvider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("Sandbox.Rds");
        _store.Server = new RdsServerControl(sandbox.OwnPostgres, platform.AdminConnectionString, _connectionFault, log);
        _store.ParameterGroups = new RdsParameterGroups(_store.Server.MaxConnections());
        _store.Log = log;
        _store.PointInTime = new RdsPointInTime(sandbox.OwnPostgres, pg, sandbox.Clock, sandbox.Options.StateDir, log);
        _xml.Window = _store.RestoreWindow;
        _store.Seed();
        _store.PointInTime.Start();
        StartBackupController(endpoints);
        _pendingMaintenance = new RdsPendingMaintenance(sandbox.Clock, _store, platform.ServerVersion);
        endpoints.MapPost("/", http => _ec2.Owns(http.Request) ? _ec2.HandleAsync(http) : Handle(http));
        endpoints.MapPost(ConnectionFaultPath, OpenConnectionsAsync);
        endpoints.MapGet(ConnectionFaultPath, async (HttpRequest request) => Results.Json(await _connectionFault.StateAsync(request.HttpContext.RequestAborted), SandboxHost.Json));
        endpoints.MapDelete(ConnectionFaultPath, async () => Results.Json(new { released = await _connectionFault.ReleaseAsync() }, SandboxHost.Json));
        endpoints.MapPost(ControlEndpoints.Prefix + "/rds/snapshots", SeedSnapshotsAsync);
        endpoints.MapPost(ControlEndpoints.Prefix + "/rds/instances", SeedInstancesAsync);
        endpoints.MapPost(ControlEndpoints.Prefix + "/rds/logs", SeedLogsAsync);
    }

    /// <summary>Control endpoint for tests and benchmarks: many available instances at once (prefix-NNNN), each over the platform database.</summary>
    private async Task<IResult> SeedInstancesAsync(HttpRequest request)
    {
        var body = await request.ReadFromJsonAsync<SeedRequest>(SandboxHost.Json);
        var prefix = string.IsNullOrEmpty(body?.Prefix) ? "seeded" : body.Prefix;
        try
        {
            if (body is null || body.Count is < 1 or > 10_000) throw new RdsFault(400, "InvalidSeedRequest", "Give count (1 to 10000).");
            RdsParameters.ValidIdentifier($"{prefix}-{body.Count:D4}", "prefix", 63);
            return Results.Json(new { created = _store.SeedInstances(body.Count, prefix), prefix }, SandboxHost.Json);
        }
        catch (RdsFault f)
        {
            return Results.Json(new { code = "InvalidSeedRequest", message = f.Message }, SandboxHost.Json, statusCode: 400);
        }
    }

    /// <summary>Control endpoint for tests: log files of the instances, count of them with lines lines each (error/prefix.log.NNNN).</summary>
    private async Task<IResult> SeedLogsAsync(HttpRequest request)
    {
        var body = await request.ReadFromJsonAsync<SeedLogsRequest>(SandboxHost.Json);
        var prefix = string.IsNullOrEmpty(body?.Prefix) ? "seeded" : body.Prefix;
        if (body is null || body.Count is < 1 or > 1_000 || body.Lines is < 1 or > 200_000)
            return Results.Json(new { code = "InvalidSeedRequest", message = "Give count (1 to 1000), lines (1 to 200000) and optionally a prefix." }, SandboxHost.Json, statusCode: 400);
        try
        {
            return Results.Json(new { files = _logs.Seed(body.Count, body.Lines, prefix) }, SandboxHost.Json);
        }
        catch (ArgumentException ex)
        {
            return Results.Json(new { code = "InvalidSeedRequest", message = ex.Message }, SandboxHost.Json, statusCode: 400);
        }
    }

    private sealed record SeedLogsRequest(int Count, int Lines, string? Prefix);

    /// <summary>Control endpoint for benchmarks: many manual snapshots at once, sharing one real dump of the instance.</summary>
    private async Task<IResult> SeedSnapshotsAsync(HttpRequest request)
    {
        var body = await request.ReadFromJsonAsync<SeedRequest>(SandboxHost.Json);
        if (body is null || body.Count is < 1 or > 100_000 || !_store.TryGetInstance(body.DbInstanceId ?? SeedInstanceId, out var instance))
            return Results.Json(new { code = "InvalidSeedRequest", message = "Give dbInstanceId (an existing instance) and count (1 to 100000)." }, SandboxHost.Json, statusCode: 400);
        var prefix = string.IsNullOrEmpty(body.Prefix) ? "bench" : body.Prefix;
        await _store.SeedSnapshotsAsync(instance, body.Count, prefix, request.HttpContext.RequestAborted);
        return Results.Json(new { created = body.Count, prefix }, SandboxHost.Json);
    }

    private sealed record SeedRequest(string? DbInstanceId, int Count, string? Prefix);

    /// <summary>
    /// Control endpoint: the connection-exhaustion fault. Body {"application":"api-service","count":N} opens N idle connections as the
    /// platform's application user; {"count":"fill"} (the default) opens them until the server refuses that user.
    /// </summary>
    private async Task<IResult> OpenConnectionsAsync(HttpRequest request)
    {
        System.Text.Json.Nodes.JsonNode? body;
        try { body = request.ContentLength is 0 ? null : await System.Text.Json.Nodes.JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted); }
        catch (System.Text.Json.JsonException ex) { return Results.Json(new { code = "InvalidFaultSettings", message = ex.Message }, SandboxHost.Json, statusCode: 400); }
        if (body is not null and not System.Text.Json.Nodes.JsonObject)
            return Results.Json(new { code = "InvalidFaultSettings", message = "The body is a JSON object: {\"application\":\"api-service\",\"count\":\"fill\"}." }, SandboxHost.Json, statusCode: 400);
        var named = body?["application"];
        if (named is not null && (named.GetValueKind() != System.Text.Json.JsonValueKind.String || named.GetValue<string>() is not { Length: > 0 and <= 63 }))
            return Results.Json(new { code = "InvalidFaultSettings", message = "application is a name of 1 to 63 characters." }, SandboxHost.Json, statusCode: 400);
        var application = named?.GetValue<string>() ?? "api-service";
        int? count = null;
        var given = body?["count"];
        if (given is not null && !(given.GetValueKind() == System.Text.Json.JsonValueKind.String && given.GetValue<string>() == "fill"))
        {
            if (given.GetValueKind() != System.Text.Json.JsonValueKind.Number || !int.TryParse(given.ToJsonString(), out var n) || n is < 1 or > 10_000)
                return Results.Json(new { code = "InvalidFaultSettings", message = "count is a number from 1 to 10000, or \"fill\"." }, SandboxHost.Json, statusCode: 400);
            count = n;
        }
        try
        {
            return Results.Json(await _connectionFault.OpenAsync(application, count, request.HttpContext.RequestAborted), SandboxHost.Json);
        }
        catch (Npgsql.NpgsqlException ex)
        {
            return Results.Json(new { code = "DbConnectionFaultFailed", message = ex.Message }, SandboxHost.Json, statusCode: 502);
        }
    }

    private async Task Handle(HttpContext http)
    {
        var p = await RdsParameters.ReadAsync(http.Request, http.RequestAborted);
        var action = p["Action"] ?? "";
        try
        {
            if (p["Version"] is { } version && version != "2014-10-31")
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
                "DescribeDBParameterGroups" => DescribeDBParameterGroups(p),
                "DescribeDBParameters" => DescribeDBParameters(p),
                "ModifyDBParameterGroup" => await ModifyDBParameterGroupAsync(p, http.RequestAborted),
                "RebootDBInstance" => Element("RebootDBInstanceResult", _xml.Instance(_store.Reboot(p.Required("DBInstanceIdentifier"), p.OptionalBool("ForceFailover")))),
                "ModifyDBInstance" => ModifyDBInstance(p),
                "DescribeDBSubnetGroups" => DescribeDBSubnetGroups(p),
                "DeleteDBInstance" => DeleteDBInstance(p),
                "RestoreDBInstanceToPointInTime" => RestoreDBInstanceToPointInTime(p),
                "DescribeDBInstanceAutomatedBackups" => DescribeDBInstanceAutomatedBackups(p),
                "DescribePendingMaintenanceActions" => _pendingMaintenance.Describe(p),
                "ApplyPendingMaintenanceAction" => _pendingMaintenance.Apply(p),
                "" => throw new RdsFault(400, "MissingAction", "The request must contain the parameter Action."),
                _ => throw new RdsFault(400, "InvalidAction", $"The action {action} is not valid for this web service."),
            };
            http.Response.ContentType = "text/xml";
            await http.Response.WriteAsync(Response(action, result), http.RequestAborted);
        }
        catch (RdsFault f)
        {
            await WriteErrorAsync(http, f.Status, f.Code, f.Message);
        }
    }

    private XElement CreateDBSnapshot(RdsParameters p)
    {
        var instanceId = p.Required("DBInstanceIdentifier");
        var id = p.Required("DBSnapshotIdentifier");
        RdsParameters.ValidIdentifier(id, "DBSnapshotIdentifier", 255);
        var snapshot = _store.CreateSnapshot(instanceId, id, p.Tags());
        return Element("CreateDBSnapshotResult", _xml.Snapshot(snapshot));
    }

    private XElement DescribeDBSnapshots(RdsParameters p)
    {
        _store.TickBackups();
        IEnumerable<RdsSnapshot> all = _store.Snapshots;
        if (p["DBSnapshotIdentifier"] is { Length: > 0 } id)
            all = new[] { _store.Snapshot(id) };
        if (p["DBInstanceIdentifier"] is { Length: > 0 } instanceId)
            all = all.Where(s => s.InstanceId.Equals(instanceId, StringComparison.OrdinalIgnoreCase));
        if (p["SnapshotType"] is { Length: > 0 } type)
            all = all.Where(s => s.Type.Equals(type, StringComparison.OrdinalIgnoreCase));
        foreach (var (name, values) in p.Filters())
        {
            if (!SnapshotFilters.Contains(name))
                throw new RdsFault(400, "InvalidParameterValue", $"Unrecognized filter name: {name}.");
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
        var (page, marker) = p.Page(ordered);
        return Element("DescribeDBSnapshotsResult",
            marker is null ? null : Element("Marker", marker),
            Element("DBSnapshots", page.Select(_xml.Snapshot)));
    }

    private XElement DeleteDBSnapshot(RdsParameters p)
    {
        var snapshot = _store.DeleteSnapshot(p.Required("DBSnapshotIdentifier"));
        var xml = _xml.Snapshot(snapshot);
        xml.Element(Ns + "Status")!.Value = "deleted";
        return Element("DeleteDBSnapshotResult", xml);
    }

    private XElement DeleteDBInstance(RdsParameters p)
    {
        var id = p.Required("DBInstanceIdentifier");
        var finalSnapshot = p["FinalDBSnapshotIdentifier"];
        if (finalSnapshot is { Length: > 0 }) RdsParameters.ValidIdentifier(finalSnapshot, "FinalDBSnapshotIdentifier", 255);
        var instance = _store.Delete(id, p.OptionalBool("SkipFinalSnapshot") ?? false, finalSnapshot);
        return Element("DeleteDBInstanceResult", _xml.Instance(instance));
    }

    private XElement RestoreDBInstanceFromDBSnapshot(RdsParameters p)
    {
        var id = p.Required("DBInstanceIdentifier");
        var snapshotId = p.Required("DBSnapshotIdentifier");
        RdsParameters.ValidIdentifier(id, "DBInstanceIdentifier", 63);
        var groups = p.Members("VpcSecurityGroupIds.VpcSecurityGroupId.");
        if (groups.Count == 0) groups = p.Members("VpcSecurityGroupIds.member.");
        var settings = new RdsRestoreSettings(p["DBInstanceClass"], p["DBSubnetGroupName"], p["DBParameterGroupName"], groups, p["StorageType"],
            p.OptionalBool, p.Tags());
        RdsStore.ValidateRestore(settings, p["Port"]);
        var instance = _store.Restore(id, snapshotId, settings);
        return Element("RestoreDBInstanceFromDBSnapshotResult", _xml.Instance(instance));
    }

    /// <summary>The controller that moves automated backups with the clock (every second), with a base backup when a window is passed.</summary>
    private void StartBackupController(IEndpointRouteBuilder endpoints)
    {
        var stopping = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await timer.WaitForNextTickAsync(stopping))
                {
                    try
                    {
                        if (_store.TickBackups()) await _store.PointInTime.TakeBaseBackupAsync(stopping);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or IOException or Npgsql.NpgsqlException or RealEstateOps.Engine.Common.OpsException)
                    {
                        _store.Log?.LogWarning("Automated backup: {Message}", ex.Message);
                    }
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    private XElement RestoreDBInstanceToPointInTime(RdsParameters p)
    {
        var id = p.Required("TargetDBInstanceIdentifier");
        var sourceId = p.Required("SourceDBInstanceIdentifier");
        RdsParameters.ValidIdentifier(id, "TargetDBInstanceIdentifier", 63);
        DateTimeOffset? at = null;
        if (p["RestoreTime"] is { Length: > 0 } given)
        {
            if (!DateTimeOffset.TryParse(given, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var parsed))
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid RestoreTime: {given}");
            at = parsed;
        }
        var groups = p.Members("VpcSecurityGroupIds.VpcSecurityGroupId.");
        if (groups.Count == 0) groups = p.Members("VpcSecurityGroupIds.member.");
        var settings = new RdsRestoreSettings(p["DBInstanceClass"], p["DBSubnetGroupName"], p["DBParameterGroupName"], groups, p["StorageType"],
            p.OptionalBool, p.Tags());
        RdsStore.ValidateRestore(settings, p["Port"]);
        _store.TickBackups();
        var instance = _store.RestoreToPointInTime(id, sourceId, at, p.OptionalBool("UseLatestRestorableTime") ?? false, settings);
        return Element("RestoreDBInstanceToPointInTimeResult", _xml.Instance(instance));
    }

    private XElement DescribeDBInstanceAutomatedBackups(RdsParameters p)
    {
        _store.TickBackups();
        IEnumerable<RdsInstance> all = _store.Instances.Where(i => i.BackupRetentionPeriod > 0);
        if (p["DBInstanceIdentifier"] is { Length: > 0 } id)
        {
            all = all.Where(i => i.Id.Equals(id, StringComparison.OrdinalIgnoreCase)).ToList();
            if (!all.Any()) throw new RdsFault(404, "DBInstanceAutomatedBackupNotFound", $"No automated backup found for DB instance {id}.");
        }
        if (p["DbiResourceId"] is { Length: > 0 } resource) all = all.Where(i => ResourceId(i.Id) == resource);
        foreach (var (name, values) in p.Filters())
        {
            all = name switch
            {
                "db-instance-id" => all.Where(x => values.Contains(x.Id, StringComparer.OrdinalIgnoreCase) || values.Contains(InstanceArn(x.Id))),
                "dbi-resource-id" => all.Where(x => values.Contains(ResourceId(x.Id))),
                "status" => all.Where(x => values.Contains(_store.RestoreWindow(x) is null ? "creating" : "active")),
                _ => throw new RdsFault(400, "InvalidParameterValue", $"Unrecognized filter name: {name}."),
            };
        }
        var (page, marker) = p.Page(all.OrderBy(x => x.Id, StringComparer.Ordinal).ToList());
        return Element("DescribeDBInstanceAutomatedBackupsResult",
            marker is null ? null : Element("Marker", marker),
            Element("DBInstanceAutomatedBackups", page.Select(_xml.AutomatedBackup)));
    }

    private XElement DescribeDBInstances(RdsParameters p)
    {
        _store.TickBackups();
        IEnumerable<RdsInstance> all = _store.Instances.Where(i => i.Status(_store.Clock) != "deleted");
        if (p["DBInstanceIdentifier"] is { Length: > 0 } id) all = new[] { _store.Instance(id) };
        foreach (var (name, values) in p.Filters())
        {
            all = name switch
            {
                "db-instance-id" => all.Where(x => values.Contains(x.Id) || values.Contains(InstanceArn(x.Id))),
                "engine" => all.Where(_ => values.Contains("postgres")),
                _ => throw new RdsFault(400, "InvalidParameterValue", $"Unrecognized filter name: {name}."),
            };
        }
        var (page, marker) = p.Page(all.OrderBy(x => x.Id, StringComparer.Ordinal).ToList());
        return Element("DescribeDBInstancesResult",
            marker is null ? null : Element("Marker", marker),
            Element("DBInstances", page.Select(_xml.Instance)));
    }

    private async Task<XElement> DescribeDBLogFilesAsync(RdsParameters p, CancellationToken ct)
    {
        _store.Instance(p.Required("DBInstanceIdentifier"));
        var files = await _logs.FilesAsync(p["FilenameContains"], ct);
        var (page, marker) = p.Page(files);
        return Element("DescribeDBLogFilesResult",
            Element("DescribeDBLogFiles", page.Select(f => Element("DescribeDBLogFilesDetails",
                Element("LogFileName", f.Name),
                Element("LastWritten", new DateTimeOffset(f.Info.LastWriteTimeUtc).ToUnixTimeMilliseconds()),
                Element("Size", f.Info.Length)))),
            marker is null ? null : Element("Marker", marker));
    }

    private async Task<XElement> DownloadDBLogFilePortionAsync(RdsParameters p, CancellationToken ct)
    {
        _store.Instance(p.Required("DBInstanceIdentifier"));
        var portion = await _logs.ReadPortionAsync(p.Required("LogFileName"), p["NumberOfLines"], p["Marker"], ct);
        return Element("DownloadDBLogFilePortionResult",
            Element("LogFileData", portion.Data),
            Element("Marker", $"0:{portion.End}"),
            Element("AdditionalDataPending", portion.Pending ? "true" : "false"));
    }

    private XElement DescribeDBParameterGroups(RdsParameters p)
    {
        var groups = p["DBParameterGroupName"] is { Length: > 0 } name ? new List<RdsParameterGroup> { _store.ParameterGroups.Group(name) } : _store.ParameterGroups.All.ToList();
        var (page, marker) = p.Page(groups);
        return Element("DescribeDBParameterGroupsResult",
            marker is null ? null : Element("Marker", marker),
            Element("DBParameterGroups", page.Select(RdsXml.ParameterGroup)));
    }

    private XElement DescribeDBParameters(RdsParameters p)
    {
        var group = _store.ParameterGroups.Group(p.Required("DBParameterGroupName"));
        var source = p["Source"];
        if (source is { Length: > 0 } && source is not ("user" or "system" or "engine-default"))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid source {source}: use user, system or engine-default.");
        var (page, marker) = p.Page(_store.ParameterGroups.Parameters(group, string.IsNullOrEmpty(source) ? null : source).ToList());
        return Element("DescribeDBParametersResult",
            marker is null ? null : Element("Marker", marker),
            Element("Parameters", page.Select(x => RdsXml.Parameter(x.Spec, x.Value, x.Source, x.ApplyMethod))));
    }

    private async Task<XElement> ModifyDBParameterGroupAsync(RdsParameters p, CancellationToken ct)
    {
        var name = p.Required("DBParameterGroupName");
        var changes = new List<(string, string?, string?)>();
        for (var i = 1; ; i++)
        {
            var prefix = p[$"Parameters.Parameter.{i}.ParameterName"] is not null ? $"Parameters.Parameter.{i}."
                : p[$"Parameters.member.{i}.ParameterName"] is not null ? $"Parameters.member.{i}." : null;
            if (prefix is null) break;
            changes.Add((p[prefix + "ParameterName"]!, p[prefix + "ParameterValue"], p[prefix + "ApplyMethod"]));
        }
        var group = await _store.ModifyParametersAsync(name, changes, ct);
        return Element("ModifyDBParameterGroupResult", Element("DBParameterGroupName", group));
    }

    private XElement ModifyDBInstance(RdsParameters p)
    {
        var id = p.Required("DBInstanceIdentifier");
        if (p["DBInstanceClass"] is not { Length: > 0 } instanceClass)
            throw new RdsFault(400, "InvalidParameterCombination", "No modifications were requested (this sandbox modifies DBInstanceClass).");
        return Element("ModifyDBInstanceResult", _xml.Instance(_store.ModifyClass(id, instanceClass, p.OptionalBool("ApplyImmediately") ?? false)));
    }

    private XElement DescribeDBSubnetGroups(RdsParameters p)
    {
        var all = _ec2.Network.DbSubnetGroups.ToList();
        if (p["DBSubnetGroupName"] is { Length: > 0 } name)
            all = all.Where(g => g.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList() is { Count: > 0 } found
                ? found : throw new RdsFault(404, "DBSubnetGroupNotFoundFault", $"DBSubnetGroup {name} not found.");
        var (page, marker) = p.Page(all);
        return Element("DescribeDBSubnetGroupsResult",
            marker is null ? null : Element("Marker", marker),
            Element("DBSubnetGroups", page.Select(g => RdsXml.SubnetGroup(g, _ec2.Network))));
    }
}
