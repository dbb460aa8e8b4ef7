using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// RDS over its Query protocol (form-encoded POST, XML answers, API version 2014-10-31), signed with
/// SigV4 and retried by the shared RetryHandler (<see cref="AwsHttp.CreateSignedClient"/>).
/// Every call is marked safe to repeat: reads are, and the writes are reconciled when a retried
/// attempt finds its own earlier attempt's effect (a create that meets AlreadyExists for the same
/// source, a delete that meets NotFound), so a dropped answer never turns a success into a failure.
/// </summary>
public sealed class RdsClient : IRdsClient, IDisposable
{
    public const string ApiVersion = "2014-10-31";
    private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";

    /// <summary>The largest answer read into memory (64 MiB); a larger one is RdsResponseTooLarge.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _disposed;

    public RdsClient(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <param name="timeout">How long one request may take, retries included, before it is RdsTimeout (default 5 minutes).</param>
    public static RdsClient Create(AwsTarget target, RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null, TimeSpan? timeout = null)
    {
        var http = AwsHttp.CreateSignedClient(target, policy, onRetry);
        if (timeout is { } t) http.Timeout = t;
        return new RdsClient(http, ownsHttp: true);
    }

    /// <summary>The largest answer body read into memory; a larger one is RdsResponseTooLarge.</summary>
    public long MaxResponseBytes { get; init; } = DefaultMaxResponseBytes;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) _http.Dispose();
    }

    // ---------------------------------------------------------------- operations

    public async Task<DbSnapshot> CreateDBSnapshotAsync(string dbInstanceId, string snapshotId, IReadOnlyDictionary<string, string>? tags, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = dbInstanceId, ["DBSnapshotIdentifier"] = snapshotId };
        p.AddTags(tags);
        var answer = await Call("CreateDBSnapshot", p, snapshotId, ct).ConfigureAwait(false);
        if (answer.Error is { ErrorId: "DBSnapshotAlreadyExists" } && answer.Attempts > 1)
        {
            // An earlier attempt of this very call may have created it before its answer was lost.
            var page = await DescribeDBSnapshotsAsync(null, snapshotId, null, null, null, null, ct).ConfigureAwait(false);
            if (page.Items.FirstOrDefault() is { } existing && existing.DbInstanceId == dbInstanceId) return existing;
        }
        return RdsXml.Snapshot(answer.Result("DBSnapshot"));
    }

    public async Task<RdsPage<DbSnapshot>> DescribeDBSnapshotsAsync(string? dbInstanceId, string? snapshotId, string? snapshotType,
        IReadOnlyList<RdsFilter>? filters, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params();
        p.AddIf("DBInstanceIdentifier", dbInstanceId);
        p.AddIf("DBSnapshotIdentifier", snapshotId);
        p.AddIf("SnapshotType", snapshotType);
        p.AddFilters(filters);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var answer = await Call("DescribeDBSnapshots", p, snapshotId ?? dbInstanceId, ct).ConfigureAwait(false);
        var result = answer.Result();
        return new RdsPage<DbSnapshot>(RdsXml.List(result, "DBSnapshots", "DBSnapshot").Select(RdsXml.Snapshot).ToList(), RdsXml.Text(result, "Marker"));
    }

    public async Task<DbSnapshot> DeleteDBSnapshotAsync(string snapshotId, CancellationToken ct)
    {
        var answer = await Call("DeleteDBSnapshot", new Params { ["DBSnapshotIdentifier"] = snapshotId }, snapshotId, ct).ConfigureAwait(false);
        if (answer.Error is { ErrorId: "DBSnapshotNotFound" } && answer.Attempts > 1)
            return new DbSnapshot { SnapshotId = snapshotId, Status = "deleted" }; // an earlier attempt deleted it
        return RdsXml.Snapshot(answer.Result("DBSnapshot"));
    }

    public async Task<DbInstance> RestoreDBInstanceFromDBSnapshotAsync(RestoreDbInstanceRequest r, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = r.DbInstanceId, ["DBSnapshotIdentifier"] = r.SnapshotId };
        p.AddRestoreSettings(r);
        var answer = await Call("RestoreDBInstanceFromDBSnapshot", p, r.DbInstanceId, ct).ConfigureAwait(false);
        return await RestoredAsync(answer, r.DbInstanceId, ct).ConfigureAwait(false);
    }

    public async Task<DbInstance> RestoreDBInstanceToPointInTimeAsync(PointInTimeRestoreRequest r, CancellationToken ct)
    {
        var p = new Params { ["SourceDBInstanceIdentifier"] = r.SourceDbInstanceId, ["TargetDBInstanceIdentifier"] = r.DbInstanceId };
        if (r.RestoreTime is { } at) p["RestoreTime"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (r.UseLatestRestorableTime) p["UseLatestRestorableTime"] = "true";
        p.AddRestoreSettings(r);
        var answer = await Call("RestoreDBInstanceToPointInTime", p, r.DbInstanceId, ct).ConfigureAwait(false);
        return await RestoredAsync(answer, r.DbInstanceId, ct).ConfigureAwait(false);
    }

    /// <summary>A restore's new instance; DBInstanceAlreadyExists on a retried attempt is the earlier attempt's instance when it is being created.</summary>
    private async Task<DbInstance> RestoredAsync(Answer answer, string targetId, CancellationToken ct)
    {
        if (answer.Error is { ErrorId: "DBInstanceAlreadyExists" } && answer.Attempts > 1)
        {
            var page = await DescribeDBInstancesAsync(targetId, null, null, ct).ConfigureAwait(false);
            if (page.Items.FirstOrDefault() is { } existing && existing.Status is "creating" or "backing-up" or "available") return existing;
        }
        return RdsXml.Instance(answer.Result("DBInstance"));
    }

    public async Task<RdsPage<DbAutomatedBackup>> DescribeDBInstanceAutomatedBackupsAsync(string? dbInstanceId, IReadOnlyList<RdsFilter>? filters, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params();
        p.AddIf("DBInstanceIdentifier", dbInstanceId);
        p.AddFilters(filters);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribeDBInstanceAutomatedBackups", p, dbInstanceId, ct).ConfigureAwait(false)).Result();
        return new RdsPage<DbAutomatedBackup>(RdsXml.List(result, "DBInstanceAutomatedBackups", "DBInstanceAutomatedBackup").Select(RdsXml.AutomatedBackup).ToList(),
            RdsXml.Text(result, "Marker"));
    }

    public async Task<RdsPage<DbInstance>> DescribeDBInstancesAsync(string? dbInstanceId, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params();
        p.AddIf("DBInstanceIdentifier", dbInstanceId);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribeDBInstances", p, dbInstanceId, ct).ConfigureAwait(false)).Result();
        return new RdsPage<DbInstance>(RdsXml.List(result, "DBInstances", "DBInstance").Select(RdsXml.Instance).ToList(), RdsXml.Text(result, "Marker"));
    }

    public async Task<RdsPage<DbLogFile>> DescribeDBLogFilesAsync(string dbInstanceId, string? filenameContains, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = dbInstanceId };
        p.AddIf("FilenameContains", filenameContains);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribeDBLogFiles", p, dbInstanceId, ct).ConfigureAwait(false)).Result();
        var files = RdsXml.List(result, "DescribeDBLogFiles", "DescribeDBLogFilesDetails").Select(e => new DbLogFile
        {
            DbInstanceId = dbInstanceId,
            LogFileName = RdsXml.Text(e, "LogFileName") ?? "",
            Size = RdsXml.Long(e, "Size") ?? 0,
            LastWritten = DateTimeOffset.FromUnixTimeMilliseconds(RdsXml.Long(e, "LastWritten") ?? 0),
        }).ToList();
        return new RdsPage<DbLogFile>(files, RdsXml.Text(result, "Marker"));
    }

    public async Task<DbLogPortion> DownloadDBLogFilePortionAsync(string dbInstanceId, string logFileName, string? marker, int? numberOfLines, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = dbInstanceId, ["LogFileName"] = logFileName };
        p.AddIf("Marker", marker);
        p.AddIf("NumberOfLines", numberOfLines?.ToString(CultureInfo.InvariantCulture));
        var result = (await Call("DownloadDBLogFilePortion", p, logFileName, ct).ConfigureAwait(false)).Result();
        return new DbLogPortion(RdsXml.Text(result, "LogFileData") ?? "", RdsXml.Text(result, "Marker"), RdsXml.Bool(result, "AdditionalDataPending") ?? false);
    }

    public async Task<RdsPage<DbParameterGroup>> DescribeDBParameterGroupsAsync(string? groupName, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params();
        p.AddIf("DBParameterGroupName", groupName);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribeDBParameterGroups", p, groupName, ct).ConfigureAwait(false)).Result();
        return new RdsPage<DbParameterGroup>(RdsXml.List(result, "DBParameterGroups", "DBParameterGroup").Select(RdsXml.ParameterGroup).ToList(), RdsXml.Text(result, "Marker"));
    }

    public async Task<RdsPage<DbParameter>> DescribeDBParametersAsync(string groupName, string? source, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params { ["DBParameterGroupName"] = groupName };
        p.AddIf("Source", source);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribeDBParameters", p, groupName, ct).ConfigureAwait(false)).Result();
        return new RdsPage<DbParameter>(RdsXml.List(result, "Parameters", "Parameter").Select(e => RdsXml.Parameter(e, groupName)).ToList(), RdsXml.Text(result, "Marker"));
    }

    public async Task<string> ModifyDBParameterGroupAsync(string groupName, IReadOnlyList<DbParameterChange> changes, CancellationToken ct)
    {
        var p = new Params { ["DBParameterGroupName"] = groupName };
        for (var i = 0; i < changes.Count; i++)
        {
            p[$"Parameters.Parameter.{i + 1}.ParameterName"] = changes[i].Name;
            p[$"Parameters.Parameter.{i + 1}.ParameterValue"] = changes[i].Value;
            p[$"Parameters.Parameter.{i + 1}.ApplyMethod"] = changes[i].ApplyMethod;
        }
        var result = (await Call("ModifyDBParameterGroup", p, groupName, ct).ConfigureAwait(false)).Result();
        return RdsXml.Text(result, "DBParameterGroupName") ?? groupName;
    }

    public async Task<DbInstance> RebootDBInstanceAsync(string dbInstanceId, bool? forceFailover, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = dbInstanceId };
        p.AddIf("ForceFailover", Bool(forceFailover));
        var answer = await Call("RebootDBInstance", p, dbInstanceId, ct).ConfigureAwait(false);
        if (answer.Error is { ErrorId: "InvalidDBInstanceState" } && answer.Attempts > 1
            && (await DescribeDBInstancesAsync(dbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault() is { Status: "rebooting" } rebooting)
            return rebooting; // an earlier attempt of this very call started the reboot before its answer was lost
        return RdsXml.Instance(answer.Result("DBInstance"));
    }

    public async Task<DbInstance> DeleteDBInstanceAsync(string dbInstanceId, bool skipFinalSnapshot, string? finalSnapshotId, bool? deleteAutomatedBackups, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = dbInstanceId, ["SkipFinalSnapshot"] = skipFinalSnapshot ? "true" : "false" };
        p.AddIf("FinalDBSnapshotIdentifier", finalSnapshotId);
        p.AddIf("DeleteAutomatedBackups", Bool(deleteAutomatedBackups));
        var answer = await Call("DeleteDBInstance", p, dbInstanceId, ct).ConfigureAwait(false);
        if (answer.Error is { ErrorId: "InvalidDBInstanceState" } && answer.Attempts > 1
            && (await DescribeDBInstancesAsync(dbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault() is { Status: "deleting" } deleting)
            return deleting; // an earlier attempt of this very call started the delete before its answer was lost
        return RdsXml.Instance(answer.Result("DBInstance"));
    }

    public async Task<DbInstance> ModifyDBInstanceAsync(ModifyDbInstanceRequest r, CancellationToken ct)
    {
        var p = new Params { ["DBInstanceIdentifier"] = r.DbInstanceId };
        p.AddIf("DBInstanceClass", r.InstanceClass);
        p.AddIf("DBParameterGroupName", r.ParameterGroup);
        p.AddIf("ApplyImmediately", Bool(r.ApplyImmediately));
        var answer = await Call("ModifyDBInstance", p, r.DbInstanceId, ct).ConfigureAwait(false);
        if (answer.Error is { ErrorId: "InvalidDBInstanceState" } && answer.Attempts > 1 && r.InstanceClass is { } wanted
            && (await DescribeDBInstancesAsync(r.DbInstanceId, null, null, ct).ConfigureAwait(false)).Items.FirstOrDefault() is { } current
            && (current.PendingInstanceClass == wanted || (current.Status == "modifying" && current.InstanceClass == wanted)))
            return current; // an earlier attempt of this very call made the change before its answer was lost
        return RdsXml.Instance(answer.Result("DBInstance"));
    }

    public async Task<RdsPage<DbSubnetGroup>> DescribeDBSubnetGroupsAsync(string? subnetGroupName, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params();
        p.AddIf("DBSubnetGroupName", subnetGroupName);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribeDBSubnetGroups", p, subnetGroupName, ct).ConfigureAwait(false)).Result();
        return new RdsPage<DbSubnetGroup>(RdsXml.List(result, "DBSubnetGroups", "DBSubnetGroup").Select(RdsXml.SubnetGroup).ToList(), RdsXml.Text(result, "Marker"));
    }

    public async Task<RdsPage<DbPendingMaintenanceAction>> DescribePendingMaintenanceActionsAsync(string? resourceIdentifier, IReadOnlyList<RdsFilter>? filters, int? maxRecords, string? marker, CancellationToken ct)
    {
        var p = new Params();
        p.AddIf("ResourceIdentifier", resourceIdentifier);
        p.AddFilters(filters);
        p.AddIf("MaxRecords", maxRecords?.ToString(CultureInfo.InvariantCulture));
        p.AddIf("Marker", marker);
        var result = (await Call("DescribePendingMaintenanceActions", p, resourceIdentifier, ct).ConfigureAwait(false)).Result();
        return new RdsPage<DbPendingMaintenanceAction>(RdsXml.List(result, "PendingMaintenanceActions", "ResourcePendingMaintenanceActions").SelectMany(RdsXml.PendingActions).ToList(),
            RdsXml.Text(result, "Marker"));
    }

    public async Task<IReadOnlyList<DbPendingMaintenanceAction>> ApplyPendingMaintenanceActionAsync(string resourceIdentifier, string applyAction, string optInType, CancellationToken ct)
    {
        var p = new Params { ["ResourceIdentifier"] = resourceIdentifier, ["ApplyAction"] = applyAction, ["OptInType"] = optInType };
        var answer = await Call("ApplyPendingMaintenanceAction", p, resourceIdentifier, ct).ConfigureAwait(false);
        return RdsXml.PendingActions(answer.Result("ResourcePendingMaintenanceActions")).ToList();
    }

    // ---------------------------------------------------------------- transport

    private OpsException Timeout(string action, object? target, Exception ex) =>
        new("RdsTimeout", OpsErrorCategory.OperationTimeout,
            $"RDS did not answer {action} within {(_http.Timeout == System.Threading.Timeout.InfiniteTimeSpan ? "the time allowed" : Waiting.Waiter.Format(_http.Timeout))} " +
            "(retries included); a change may still have been made: check before repeating it.", target, ExceptionSanitizer.Sanitize(ex));

    /// <summary>Reads an answer's body, at most <see cref="MaxResponseBytes"/> (RdsResponseTooLarge beyond), within the client's timeout.</summary>
    private Task<string> ReadBodyAsync(HttpResponseMessage response, string action, object? target, CancellationToken ct) =>
        AwsBody.ReadAsync(response, MaxResponseBytes, _http.Timeout, new AwsBody.Failures(
            (size, known) => new OpsException("RdsResponseTooLarge", OpsErrorCategory.LimitsExceeded,
                $"The {action} answer is larger than {MaxResponseBytes / (1024 * 1024.0):0.#} MiB ({size:N0} bytes{(known ? "" : " read so far")}); it was not read.", target),
            ex => Timeout(action, target, ex),
            ex => new OpsException("RdsUnreachable", OpsErrorCategory.ConnectionError,
                $"RDS at {_http.BaseAddress} dropped the connection while answering {action}: {ex.Message}", target, ExceptionSanitizer.Sanitize(ex))), ct);

    private static string? Bool(bool? b) => b is { } v ? (v ? "true" : "false") : null;

    private sealed class Params : Dictionary<string, string>
    {
        public Params() : base(StringComparer.Ordinal) { }

        public void AddIf(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) this[name] = value;
        }

        public void AddTags(IReadOnlyDictionary<string, string>? tags)
        {
            if (tags is null) return;
            var i = 0;
            foreach (var (k, v) in tags)
            {
                i++;
                this[$"Tags.Tag.{i}.Key"] = k;
                this[$"Tags.Tag.{i}.Value"] = v;
            }
        }

        /// <summary>What RestoreDBInstanceFromDBSnapshot and RestoreDBInstanceToPointInTime share.</summary>
        public void AddRestoreSettings(DbRestoreSettings r)
        {
            AddIf("DBInstanceClass", r.InstanceClass);
            AddIf("DBSubnetGroupName", r.SubnetGroup);
            if (r.VpcSecurityGroupIds is { Count: > 0 } groups)
                for (var i = 0; i < groups.Count; i++) this[$"VpcSecurityGroupIds.VpcSecurityGroupId.{i + 1}"] = groups[i];
            AddIf("MultiAZ", Bool(r.MultiAZ));
            AddIf("PubliclyAccessible", Bool(r.PubliclyAccessible));
            AddIf("DBParameterGroupName", r.ParameterGroup);
            AddIf("Port", r.Port?.ToString(CultureInfo.InvariantCulture));
            AddIf("StorageType", r.StorageType);
            AddTags(r.Tags);
            AddIf("DeletionProtection", Bool(r.DeletionProtection));
            AddIf("CopyTagsToSnapshot", Bool(r.CopyTagsToSnapshot));
        }

        public void AddFilters(IReadOnlyList<RdsFilter>? filters)
        {
            if (filters is null) return;
            for (var i = 0; i < filters.Count; i++)
            {
                this[$"Filters.Filter.{i + 1}.Name"] = filters[i].Name;
                for (var j = 0; j < filters[i].Values.Count; j++) this[$"Filters.Filter.{i + 1}.Values.Value.{j + 1}"] = filters[i].Values[j];
            }
        }
    }

    private sealed record Answer(string Action, XElement? ResultElement, OpsException? Error, int Attempts)
    {
        public XElement Result() => Error is not null ? throw Error : ResultElement!;

        public XElement Result(string child) =>
            Result().Element(Ns + child) ?? throw new OpsException("RdsResponseInvalid", OpsErrorCategory.InvalidResult, $"The {Action} answer has no {child}.");
    }

    /// <summary>
    /// The one error funnel: every request goes through here. RDS's own errors become OpsExceptions with RDS's code as id
    /// (<see cref="AwsErrors"/>), returned in the answer so that a retried write can be reconciled; a server that cannot be
    /// reached or drops the connection is RdsUnreachable, one that does not answer in time RdsTimeout, an answer too large
    /// RdsResponseTooLarge; the caller's own cancellation stays an OperationCanceledException.
    /// </summary>
    private async Task<Answer> Call(string action, Params parameters, object? target, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", ApiVersion) };
        form.AddRange(parameters);
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new FormUrlEncodedContent(form) };
        RetryHandler.MarkIdempotent(request);
        HttpResponseMessage response;
        try
        {
            // Headers only: the body is read below, with a size cap.
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw new OpsException("RdsUnreachable", OpsErrorCategory.ConnectionError,
                $"RDS at {_http.BaseAddress} could not be reached ({action}): {ex.Message}", target, ExceptionSanitizer.Sanitize(ex));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException || ex is OperationCanceledException))
        {
            // HttpClient's timeout (a TaskCanceledException while the caller's token is not cancelled), or the retry handler's: not Ctrl+C.
            throw Timeout(action, target, ex);
        }
        using (response)
        {
            var attempts = RetryHandler.AttemptsOf(request);
            var body = await ReadBodyAsync(response, action, target, ct).ConfigureAwait(false);
            XDocument doc;
            try
            {
                doc = XDocument.Parse(body);
            }
            catch (XmlException)
            {
                var shown = body.Length > 200 ? body[..200] + "..." : body;
                return new Answer(action, null, AwsErrors.From(null, $"{action}: the answer is not XML: {shown}", response.StatusCode, null, target), attempts);
            }
            if (!response.IsSuccessStatusCode || doc.Root?.Name.LocalName == "ErrorResponse")
            {
                var error = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                string? Field(XContainer? c, string name) => c?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                var requestId = Field(doc.Root, "RequestId") ?? (response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null);
                var status = response.IsSuccessStatusCode ? HttpStatusCode.BadRequest : response.StatusCode;
                return new Answer(action, null, AwsErrors.From(Field(error, "Code"), Field(error, "Message"), status, requestId, target), attempts);
            }
            var result = doc.Root?.Element(Ns + action + "Result") ?? new XElement(Ns + action + "Result");
            return new Answer(action, result, null, attempts);
        }
    }
}

/// <summary>Reading RDS's XML shapes.</summary>
internal static class RdsXml
{
    private static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";

    public static string? Text(XElement e, string name) => e.Element(Ns + name)?.Value is { Length: > 0 } v ? v : null;
    public static long? Long(XElement e, string name) => long.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    public static int? Int(XElement e, string name) => int.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    public static bool? Bool(XElement e, string name) => Text(e, name) is { } t ? t.Equals("true", StringComparison.OrdinalIgnoreCase) : null;
    public static DateTimeOffset? Time(XElement e, string name) =>
        DateTimeOffset.TryParse(Text(e, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var v) ? v : null;

    public static IEnumerable<XElement> List(XElement parent, string list, string member) =>
        parent.Element(Ns + list)?.Elements(Ns + member) ?? Enumerable.Empty<XElement>();

    private static Dictionary<string, string> Tags(XElement e) =>
        List(e, "TagList", "Tag").Where(t => Text(t, "Key") is not null)
            .GroupBy(t => Text(t, "Key")!).ToDictionary(g => g.Key, g => Text(g.Last(), "Value") ?? "", StringComparer.Ordinal);

    public static DbSnapshot Snapshot(XElement e) => new()
    {
        SnapshotId = Text(e, "DBSnapshotIdentifier") ?? "",
        DbInstanceId = Text(e, "DBInstanceIdentifier") ?? "",
        SnapshotType = Text(e, "SnapshotType") ?? "",
        Status = Text(e, "Status") ?? "",
        PercentProgress = Int(e, "PercentProgress") ?? 0,
        SnapshotCreateTime = Time(e, "SnapshotCreateTime"),
        InstanceCreateTime = Time(e, "InstanceCreateTime"),
        Engine = Text(e, "Engine"),
        EngineVersion = Text(e, "EngineVersion"),
        AllocatedStorage = Int(e, "AllocatedStorage") ?? 0,
        Port = Int(e, "Port"),
        AvailabilityZone = Text(e, "AvailabilityZone"),
        VpcId = Text(e, "VpcId"),
        MasterUsername = Text(e, "MasterUsername"),
        StorageType = Text(e, "StorageType"),
        Encrypted = Bool(e, "Encrypted") ?? false,
        Arn = Text(e, "DBSnapshotArn"),
        Tags = Tags(e),
    };

    public static DbParameter Parameter(XElement e, string groupName) => new()
    {
        GroupName = groupName,
        Name = Text(e, "ParameterName") ?? "",
        Value = Text(e, "ParameterValue"),
        Description = Text(e, "Description"),
        Source = Text(e, "Source"),
        ApplyType = Text(e, "ApplyType"),
        DataType = Text(e, "DataType"),
        AllowedValues = Text(e, "AllowedValues"),
        IsModifiable = Bool(e, "IsModifiable") ?? false,
        ApplyMethod = Text(e, "ApplyMethod"),
    };

    public static DbParameterGroup ParameterGroup(XElement e) => new()
    {
        Name = Text(e, "DBParameterGroupName") ?? "",
        Family = Text(e, "DBParameterGroupFamily"),
        Description = Text(e, "Description"),
        Arn = Text(e, "DBParameterGroupArn"),
    };

    public static DbSubnetGroup SubnetGroup(XElement e) => new()
    {
        Name = Text(e, "DBSubnetGroupName") ?? "",
        Description = Text(e, "DBSubnetGroupDescription"),
        VpcId = Text(e, "VpcId"),
        Status = Text(e, "SubnetGroupStatus"),
        Subnets = List(e, "Subnets", "Subnet").Select(s => new DbSubnet
        {
            SubnetId = Text(s, "SubnetIdentifier") ?? "",
            AvailabilityZone = s.Element(Ns + "SubnetAvailabilityZone") is { } az ? Text(az, "Name") : null,
            Status = Text(s, "SubnetStatus"),
            VpcId = Text(e, "VpcId"),
        }).ToList(),
    };

    /// <summary>A ResourcePendingMaintenanceActions element as one action each, with the resource's ARN and the instance id from it.</summary>
    public static IEnumerable<DbPendingMaintenanceAction> PendingActions(XElement resource)
    {
        var arn = Text(resource, "ResourceIdentifier") ?? "";
        var id = arn.Contains(":db:", StringComparison.Ordinal) ? arn[(arn.LastIndexOf(':') + 1)..] : arn;
        return List(resource, "PendingMaintenanceActionDetails", "PendingMaintenanceAction").Select(a => new DbPendingMaintenanceAction
        {
            DbInstanceId = id, ResourceIdentifier = arn, Action = Text(a, "Action") ?? "", Description = Text(a, "Description"),
            AutoAppliedAfterDate = Time(a, "AutoAppliedAfterDate"), ForcedApplyDate = Time(a, "ForcedApplyDate"),
            OptInStatus = Text(a, "OptInStatus"), CurrentApplyDate = Time(a, "CurrentApplyDate"),
        });
    }

    public static DbInstance Instance(XElement e)
    {
        var endpoint = e.Element(Ns + "Endpoint");
        var subnet = e.Element(Ns + "DBSubnetGroup");
        return new DbInstance
        {
            DbInstanceId = Text(e, "DBInstanceIdentifier") ?? "",
            Status = Text(e, "DBInstanceStatus") ?? "",
            Engine = Text(e, "Engine"),
            EngineVersion = Text(e, "EngineVersion"),
            InstanceClass = Text(e, "DBInstanceClass"),
            Address = endpoint is null ? null : Text(endpoint, "Address"),
            Port = endpoint is null ? null : Int(endpoint, "Port"),
            DbName = Text(e, "DBName"),
            MasterUsername = Text(e, "MasterUsername"),
            AllocatedStorage = Int(e, "AllocatedStorage") ?? 0,
            StorageType = Text(e, "StorageType"),
            MultiAZ = Bool(e, "MultiAZ") ?? false,
            PubliclyAccessible = Bool(e, "PubliclyAccessible") ?? false,
            DeletionProtection = Bool(e, "DeletionProtection") ?? false,
            CopyTagsToSnapshot = Bool(e, "CopyTagsToSnapshot") ?? false,
            SubnetGroup = subnet is null ? null : Text(subnet, "DBSubnetGroupName"),
            VpcId = subnet is null ? null : Text(subnet, "VpcId"),
            VpcSecurityGroupIds = List(e, "VpcSecurityGroups", "VpcSecurityGroupMembership").Select(g => Text(g, "VpcSecurityGroupId")).OfType<string>().ToArray(),
            ParameterGroup = List(e, "DBParameterGroups", "DBParameterGroup").Select(g => Text(g, "DBParameterGroupName")).OfType<string>().FirstOrDefault(),
            ParameterApplyStatus = List(e, "DBParameterGroups", "DBParameterGroup").Select(g => Text(g, "ParameterApplyStatus")).OfType<string>().FirstOrDefault(),
            PendingInstanceClass = e.Element(Ns + "PendingModifiedValues") is { } pending ? Text(pending, "DBInstanceClass") : null,
            PreferredMaintenanceWindow = Text(e, "PreferredMaintenanceWindow"),
            AvailabilityZone = Text(e, "AvailabilityZone"),
            InstanceCreateTime = Time(e, "InstanceCreateTime"),
            Arn = Text(e, "DBInstanceArn"),
            Tags = Tags(e),
            BackupRetentionPeriod = Int(e, "BackupRetentionPeriod") ?? 0,
            PreferredBackupWindow = Text(e, "PreferredBackupWindow"),
            StorageEncrypted = Bool(e, "StorageEncrypted") ?? false,
            KmsKeyId = Text(e, "KmsKeyId"),
            LatestRestorableTime = Time(e, "LatestRestorableTime"),
        };
    }

    public static DbAutomatedBackup AutomatedBackup(XElement e)
    {
        var window = e.Element(Ns + "RestoreWindow");
        return new DbAutomatedBackup
        {
            DbInstanceId = Text(e, "DBInstanceIdentifier") ?? "",
            DbiResourceId = Text(e, "DbiResourceId"),
            Status = Text(e, "Status") ?? "",
            EarliestTime = window is null ? null : Time(window, "EarliestTime"),
            LatestTime = window is null ? null : Time(window, "LatestTime"),
            BackupRetentionPeriod = Int(e, "BackupRetentionPeriod") ?? 0,
            PreferredBackupWindow = Text(e, "PreferredBackupWindow"),
            Encrypted = Bool(e, "Encrypted") ?? false,
            KmsKeyId = Text(e, "KmsKeyId"),
            Engine = Text(e, "Engine"),
            EngineVersion = Text(e, "EngineVersion"),
            Arn = Text(e, "DBInstanceAutomatedBackupsArn"),
        };
    }
}
