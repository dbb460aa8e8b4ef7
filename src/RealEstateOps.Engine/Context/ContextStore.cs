using System.Text.Json;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Context;

/// <summary>
/// Named contexts, one JSON file each under the config folder's contexts/. Writes are atomic:
/// a failed validation or write leaves the previous file as it was.
/// </summary>
public sealed partial class ContextStore
{
    public const string EnvironmentVariable = "REALESTATEOPS_CONTEXT";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly OpsPaths _paths;

    public ContextStore(OpsPaths paths) => _paths = paths;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$")]
    private static partial Regex RegionPattern();

    /// <summary>An AWS region name such as us-east-1, eu-central-2, us-gov-west-1.</summary>
    public static bool IsValidRegion(string region) => RegionPattern().IsMatch(region);

    public static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || !NamePattern().IsMatch(name))
            throw new OpsException("OpsContextNameInvalid", OpsErrorCategory.InvalidArgument,
                $"'{name}' is not a valid context name: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.", name);
    }

    public string PathOf(string name) => Path.Combine(_paths.ContextsFolder, name + ".json");

    /// <summary>Names of the stored contexts, plus the built-in default.</summary>
    public IReadOnlyList<string> ListNames()
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { OpsContext.DefaultName };
        if (Directory.Exists(_paths.ContextsFolder))
            foreach (var file in Directory.EnumerateFiles(_paths.ContextsFolder, "*.json"))
                names.Add(Path.GetFileNameWithoutExtension(file));
        return names.ToList();
    }

    public bool Exists(string name) =>
        name.Equals(OpsContext.DefaultName, StringComparison.OrdinalIgnoreCase) || File.Exists(PathOf(name));

    /// <summary>The context as stored (only what was set in it); the built-in default for 'default' when no file overrides it.</summary>
    public OpsContext LoadStored(string name)
    {
        ValidateName(name);
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            if (name.Equals(OpsContext.DefaultName, StringComparison.OrdinalIgnoreCase))
                return new OpsContext { Name = OpsContext.DefaultName, IsBuiltIn = true };
            throw new OpsException("OpsContextNotFound", OpsErrorCategory.ObjectNotFound,
                $"There is no context named '{name}'. Known contexts: {string.Join(", ", ListNames())}. Create it with Set-OpsContext -Name {name}.", name);
        }

        OpsContext? context;
        try
        {
            context = JsonSerializer.Deserialize<OpsContext>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new OpsException("OpsContextInvalid", OpsErrorCategory.InvalidData,
                $"The context file '{path}' is not valid: {ex.Message} Fix or remove the file (Remove-OpsContext -Name {name}).", name, ex, isFatal: true);
        }
        catch (IOException ex)
        {
            throw new OpsException("OpsContextUnreadable", OpsErrorCategory.ReadError,
                $"The context file '{path}' cannot be read: {ex.Message}", name, ex, isFatal: true);
        }
        if (context is null)
            throw new OpsException("OpsContextInvalid", OpsErrorCategory.InvalidData,
                $"The context file '{path}' is empty or null.", name, isFatal: true);
        context.Name = name;
        context.Endpoints = new Dictionary<string, string>(context.Endpoints ?? new(), StringComparer.OrdinalIgnoreCase);
        context.ServiceUrls = new Dictionary<string, string>(context.ServiceUrls ?? new(), StringComparer.OrdinalIgnoreCase);
        Validate(context, path);
        return context;
    }

    /// <summary>The stored context merged over the built-in default: what commands use.</summary>
    public OpsContext LoadEffective(string name) => ContextSettings.Merge(LoadStored(name), OpsContext.BuiltInDefault());

    public void Save(OpsContext context)
    {
        ValidateName(context.Name);
        Validate(context, null);
        // 0600 in 0700 folders from the start: a context names hosts, users and password files.
        FileUtil.EnsureAppFolder(_paths.ConfigHome);
        FileUtil.CreatePrivateDirectory(_paths.ContextsFolder);
        FileUtil.WriteAtomic(PathOf(context.Name), JsonSerializer.Serialize(context, Json), ownerOnly: true);
    }

    public void Remove(string name)
    {
        ValidateName(name);
        var path = PathOf(name);
        if (!File.Exists(path))
            throw new OpsException("OpsContextNotFound", OpsErrorCategory.ObjectNotFound,
                name.Equals(OpsContext.DefaultName, StringComparison.OrdinalIgnoreCase)
                    ? "The built-in default context cannot be removed; only a stored override of it can, and there is none."
                    : $"There is no context named '{name}'.", name);
        File.Delete(path);
    }

    /// <summary>Checks values before anything is written: a bad value never reaches the file.</summary>
    public static void Validate(OpsContext c, string? file)
    {
        var where = file is null ? "" : $" in '{file}'";
        OpsException Bad(string setting, object? value, string rule) =>
            new("OpsContextValueInvalid", OpsErrorCategory.InvalidArgument,
                $"Context '{c.Name}'{where}: {setting} '{value}' is not valid: {rule}.", c.Name, isFatal: file is not null);

        foreach (var (setting, region) in new[] { ("Region", c.Region), ("DrRegion", c.DrRegion) })
            if (region is not null && !IsValidRegion(region))
                throw Bad(setting, region, "expected an AWS region such as us-east-1");
        if (c.DbPort is { } port && (port < 1 || port > 65535))
            throw Bad("DbPort", port, "a port is a number from 1 to 65535");
        if (c.IncidentDbPort is { } incidentPort && (incidentPort < 1 || incidentPort > 65535))
            throw Bad("IncidentDbPort", incidentPort, "a port is a number from 1 to 65535");
        if (c.ErrorRateThresholdPercent is { } errorRate && !(errorRate >= 0.01 && errorRate <= 100))
            throw Bad("ErrorRateThresholdPercent", errorRate, "a percentage from 0.01 to 100");
        if (c.LatencyP95ThresholdMs is { } latency && (latency < 1 || latency > 600_000))
            throw Bad("LatencyP95ThresholdMs", latency, "milliseconds from 1 to 600000");
        if (c.BackupWindow is { } backupWindow)
        {
            try { Rds.DbBackupPolicy.ParseWindow(backupWindow); }
            catch (OpsException) { throw Bad("BackupWindow", backupWindow, "a window hh:mm-hh:mm in UTC, as RDS gives it (e.g. 02:00-03:00)"); }
        }
        if (c.BackupRetentionDays is { } retention && (retention < 1 || retention > 35))
            throw Bad("BackupRetentionDays", retention, "days from 1 to 35 (RDS's range for automated backups)");
        if (c.BackupMaxSnapshotAgeHours is { } snapshotAge && (snapshotAge < 1 || snapshotAge > 8760))
            throw Bad("BackupMaxSnapshotAgeHours", snapshotAge, "hours from 1 to 8760");
        foreach (var (setting, days) in new[] { ("BackupMaxManualSnapshotAgeDays", c.BackupMaxManualSnapshotAgeDays), ("BackupMaxExportAgeDays", c.BackupMaxExportAgeDays) })
            if (days is { } d && (d < 1 || d > 3650))
                throw Bad(setting, d, "days from 1 to 3650");
        foreach (var (setting, window) in new[] { ("DatabaseWindow", c.DatabaseWindow), ("KubernetesWindow", c.KubernetesWindow), ("ApplicationWindow", c.ApplicationWindow) })
            if (window is not null && !Maintenance.MaintenanceWindowSpec.TryParse(window, out _, out var error, $"Context '{c.Name}'{where}: {setting}"))
                throw new OpsException(error!.ErrorId, error.Category, error.Message, c.Name, isFatal: file is not null);
        foreach (var (dictName, dict) in new[] { ("Endpoints", c.Endpoints), ("ServiceUrls", c.ServiceUrls) })
            foreach (var (key, url) in dict)
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                    throw Bad($"{dictName}.{key}", url, "expected an absolute http or https URL");
    }
}
