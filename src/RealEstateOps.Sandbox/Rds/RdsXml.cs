using System.Globalization;
using System.Text;
using System.Xml.Linq;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// RDS's Query-protocol wire format (API version 2014-10-31): the response and error documents, and the
/// DBInstance and DBSnapshot elements as the service describes them (statuses as of the sandbox clock).
/// </summary>
internal sealed class RdsXml
{
    public static readonly XNamespace Ns = "http://rds.amazonaws.com/doc/2014-10-31/";
    private const string Account = "000000000000";

    private readonly SandboxClock _clock;
    private readonly string _host;
    private readonly int _port;
    private readonly string _engineVersion;

    /// <param name="host">The endpoint every available instance names (the sandbox's PostgreSQL server).</param>
    public RdsXml(SandboxClock clock, string host, int port, string engineVersion)
    {
        _clock = clock;
        _host = host;
        _port = port;
        _engineVersion = engineVersion;
    }

    /// <summary>An instance's restorable window (earliest, latest), null without automated backups (the store's <see cref="RdsStore.RestoreWindow"/>).</summary>
    public Func<RdsInstance, (DateTimeOffset Earliest, DateTimeOffset Latest)?> Window { get; set; } = _ => null;

    public static XElement Element(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>&lt;ActionResponse&gt; around an action's result, with a request id.</summary>
    public static string Response(string action, XElement result) =>
        new XElement(Ns + action + "Response", result, new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", Guid.NewGuid().ToString())))
            .ToString(SaveOptions.DisableFormatting);

    /// <summary>An ErrorResponse: Sender for 4xx, Receiver for 5xx.</summary>
    public static string Error(int status, string code, string message) =>
        new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", status >= 500 ? "Receiver" : "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", Guid.NewGuid().ToString())).ToString(SaveOptions.DisableFormatting);

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    public static string InstanceArn(string id) => $"arn:aws:rds:us-east-1:{Account}:db:{id}";
    public static string SnapshotArn(string id) => $"arn:aws:rds:us-east-1:{Account}:snapshot:{id}";
    public static string ResourceId(string id) => "db-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..26];

    private static XElement TagList(Dictionary<string, string> tags) =>
        new(Ns + "TagList", tags.Select(t => new XElement(Ns + "Tag", new XElement(Ns + "Key", t.Key), new XElement(Ns + "Value", t.Value))));

    public XElement Snapshot(RdsSnapshot s)
    {
        var (status, percent) = s.State(_clock);
        return new XElement(Ns + "DBSnapshot",
            new XElement(Ns + "DBSnapshotIdentifier", s.Id),
            new XElement(Ns + "DBInstanceIdentifier", s.InstanceId),
            new XElement(Ns + "SnapshotCreateTime", Time(s.CreateTime)),
            new XElement(Ns + "Engine", "postgres"),
            new XElement(Ns + "AllocatedStorage", s.AllocatedStorage),
            new XElement(Ns + "Status", status),
            new XElement(Ns + "Port", _port),
            new XElement(Ns + "AvailabilityZone", s.AvailabilityZone),
            new XElement(Ns + "VpcId", s.VpcId),
            new XElement(Ns + "InstanceCreateTime", Time(s.InstanceCreateTime)),
            new XElement(Ns + "MasterUsername", s.MasterUsername),
            new XElement(Ns + "EngineVersion", _engineVersion),
            new XElement(Ns + "LicenseModel", "postgresql-license"),
            new XElement(Ns + "SnapshotType", s.Type),
            new XElement(Ns + "OptionGroupName", "default:postgres-15"),
            new XElement(Ns + "PercentProgress", percent),
            new XElement(Ns + "StorageType", s.StorageType),
            new XElement(Ns + "Encrypted", s.Encrypted ? "true" : "false"),
            s.KmsKeyId is { } key ? new XElement(Ns + "KmsKeyId", key) : null,
            new XElement(Ns + "DBSnapshotArn", SnapshotArn(s.Id)),
            new XElement(Ns + "IAMDatabaseAuthenticationEnabled", "false"),
            new XElement(Ns + "DbiResourceId", ResourceId(s.InstanceId)),
            TagList(s.Tags),
            new XElement(Ns + "SnapshotTarget", "region"));
    }

    public XElement Instance(RdsInstance i)
    {
        var status = i.Status(_clock);
        var window = Window(i);
        var hasEndpoint = status is "available" or "backing-up";
        return new XElement(Ns + "DBInstance",
            new XElement(Ns + "DBInstanceIdentifier", i.Id),
            new XElement(Ns + "DBInstanceClass", i.InstanceClass),
            new XElement(Ns + "Engine", "postgres"),
            new XElement(Ns + "DBInstanceStatus", status),
            new XElement(Ns + "MasterUsername", i.MasterUsername),
            new XElement(Ns + "DBName", i.Database),
            hasEndpoint ? new XElement(Ns + "Endpoint", new XElement(Ns + "Address", _host), new XElement(Ns + "Port", _port), new XElement(Ns + "HostedZoneId", "Z2R2ITUGPM61AM")) : null,
            new XElement(Ns + "AllocatedStorage", i.AllocatedStorage),
            new XElement(Ns + "InstanceCreateTime", Time(i.CreateTime)),
            new XElement(Ns + "PreferredBackupWindow", i.PreferredBackupWindow),
            new XElement(Ns + "BackupRetentionPeriod", i.BackupRetentionPeriod),
            new XElement(Ns + "DBSecurityGroups"),
            new XElement(Ns + "VpcSecurityGroups", i.SecurityGroups.Select(g => new XElement(Ns + "VpcSecurityGroupMembership",
                new XElement(Ns + "VpcSecurityGroupId", g), new XElement(Ns + "Status", "active")))),
            new XElement(Ns + "DBParameterGroups", new XElement(Ns + "DBParameterGroup",
                new XElement(Ns + "DBParameterGroupName", i.ParameterGroup), new XElement(Ns + "ParameterApplyStatus", i.ParameterApplyStatus))),
            new XElement(Ns + "AvailabilityZone", i.AvailabilityZone),
            new XElement(Ns + "DBSubnetGroup",
                new XElement(Ns + "DBSubnetGroupName", i.SubnetGroup),
                new XElement(Ns + "DBSubnetGroupDescription", i.SubnetGroup == "default" ? "default" : "Private subnets of the platform VPC"),
                new XElement(Ns + "VpcId", i.VpcId),
                new XElement(Ns + "SubnetGroupStatus", "Complete")),
            new XElement(Ns + "PreferredMaintenanceWindow", "sun:01:00-sun:03:00"),
            new XElement(Ns + "PendingModifiedValues", i.PendingInstanceClass is { } pendingClass ? new XElement(Ns + "DBInstanceClass", pendingClass) : null),
            new XElement(Ns + "MultiAZ", i.MultiAZ ? "true" : "false"),
            new XElement(Ns + "EngineVersion", i.EngineVersion ?? _engineVersion),
            new XElement(Ns + "AutoMinorVersionUpgrade", "true"),
            new XElement(Ns + "LicenseModel", "postgresql-license"),
            new XElement(Ns + "PubliclyAccessible", i.PubliclyAccessible ? "true" : "false"),
            new XElement(Ns + "StorageType", i.StorageType),
            new XElement(Ns + "DbInstancePort", 0),
            window is { } w ? new XElement(Ns + "LatestRestorableTime", Time(w.Latest)) : null,
            new XElement(Ns + "StorageEncrypted", i.StorageEncrypted ? "true" : "false"),
            i.KmsKeyId is { } key ? new XElement(Ns + "KmsKeyId", key) : null,
            new XElement(Ns + "DbiResourceId", ResourceId(i.Id)),
            new XElement(Ns + "CopyTagsToSnapshot", i.CopyTagsToSnapshot ? "true" : "false"),
            new XElement(Ns + "DBInstanceArn", InstanceArn(i.Id)),
            new XElement(Ns + "IAMDatabaseAuthenticationEnabled", "false"),
            new XElement(Ns + "DeletionProtection", i.DeletionProtection ? "true" : "false"),
            TagList(i.Tags));
    }

    /// <summary>A DBInstanceAutomatedBackup: the instance's automated backups (active while it exists) and the window they give.</summary>
    public XElement AutomatedBackup(RdsInstance i)
    {
        var window = Window(i);
        return new XElement(Ns + "DBInstanceAutomatedBackup",
            new XElement(Ns + "DBInstanceArn", InstanceArn(i.Id)),
            new XElement(Ns + "DbiResourceId", ResourceId(i.Id)),
            new XElement(Ns + "Region", "us-east-1"),
            new XElement(Ns + "DBInstanceIdentifier", i.Id),
            window is { } w ? new XElement(Ns + "RestoreWindow", new XElement(Ns + "EarliestTime", Time(w.Earliest)), new XElement(Ns + "LatestTime", Time(w.Latest))) : null,
            new XElement(Ns + "AllocatedStorage", i.AllocatedStorage),
            new XElement(Ns + "Status", window is null ? "creating" : "active"),
            new XElement(Ns + "Port", _port),
            new XElement(Ns + "AvailabilityZone", i.AvailabilityZone),
            new XElement(Ns + "VpcId", i.VpcId),
            new XElement(Ns + "InstanceCreateTime", Time(i.CreateTime)),
            new XElement(Ns + "MasterUsername", i.MasterUsername),
            new XElement(Ns + "Engine", "postgres"),
            new XElement(Ns + "EngineVersion", _engineVersion),
            new XElement(Ns + "LicenseModel", "postgresql-license"),
            new XElement(Ns + "OptionGroupName", "default:postgres-15"),
            new XElement(Ns + "Encrypted", i.StorageEncrypted ? "true" : "false"),
            new XElement(Ns + "StorageType", i.StorageType),
            i.KmsKeyId is { } key ? new XElement(Ns + "KmsKeyId", key) : null,
            new XElement(Ns + "IAMDatabaseAuthenticationEnabled", "false"),
            new XElement(Ns + "BackupRetentionPeriod", i.BackupRetentionPeriod),
            new XElement(Ns + "PreferredBackupWindow", i.PreferredBackupWindow),
            new XElement(Ns + "DBInstanceAutomatedBackupsArn", $"arn:aws:rds:us-east-1:{Account}:auto-backup:ab-{ResourceId(i.Id)[3..].ToLowerInvariant()}"),
            new XElement(Ns + "BackupTarget", "region"));
    }

    public static XElement ParameterGroup(RdsParameterGroup g) => new(Ns + "DBParameterGroup",
        new XElement(Ns + "DBParameterGroupName", g.Name),
        new XElement(Ns + "DBParameterGroupFamily", g.Family),
        new XElement(Ns + "Description", g.Description),
        new XElement(Ns + "DBParameterGroupArn", $"arn:aws:rds:us-east-1:{Account}:pg:{g.Name}"));

    public static XElement Parameter(RdsParameterSpec spec, string? value, string source, string applyMethod) => new(Ns + "Parameter",
        new XElement(Ns + "ParameterName", spec.Name),
        value is null ? null : new XElement(Ns + "ParameterValue", value),
        new XElement(Ns + "Description", spec.Description),
        new XElement(Ns + "Source", source),
        new XElement(Ns + "ApplyType", spec.ApplyType),
        new XElement(Ns + "DataType", spec.DataType),
        spec.AllowedValues is null ? null : new XElement(Ns + "AllowedValues", spec.AllowedValues),
        new XElement(Ns + "IsModifiable", spec.IsModifiable ? "true" : "false"),
        new XElement(Ns + "ApplyMethod", applyMethod),
        new XElement(Ns + "SupportedEngineModes", new XElement(Ns + "member", "provisioned")));

    public static XElement SubnetGroup(NetworkDbSubnetGroup g, RdsNetwork network) => new(Ns + "DBSubnetGroup",
        new XElement(Ns + "DBSubnetGroupName", g.Name),
        new XElement(Ns + "DBSubnetGroupDescription", g.Description),
        new XElement(Ns + "VpcId", g.VpcId),
        new XElement(Ns + "SubnetGroupStatus", "Complete"),
        new XElement(Ns + "Subnets", g.SubnetIds.Select(id => new XElement(Ns + "Subnet",
            new XElement(Ns + "SubnetIdentifier", id),
            new XElement(Ns + "SubnetAvailabilityZone", new XElement(Ns + "Name", network.Subnet(id)?.AvailabilityZone ?? "")),
            new XElement(Ns + "SubnetOutpost"),
            new XElement(Ns + "SubnetStatus", "Active")))),
        new XElement(Ns + "DBSubnetGroupArn", $"arn:aws:rds:us-east-1:{Account}:subgrp:{g.Name}"),
        new XElement(Ns + "SupportedNetworkTypes", new XElement(Ns + "member", "IPV4")));
}
