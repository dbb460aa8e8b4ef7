using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The operator's current incident, whose id the journal stamps on every entry: REALESTATEOPS_INCIDENT_ID when set, else the
/// state file <c>current-incident</c> in the state home (0600 in a 0700 folder) that New-Incident and Use-Incident write and
/// Close-Incident clears.
/// </summary>
public sealed partial class CurrentIncident
{
    public const string EnvironmentVariable = "REALESTATEOPS_INCIDENT_ID";
    public const string FileName = "current-incident";

    private readonly OpsPaths _paths;
    private readonly Func<string, string?> _environment;

    public CurrentIncident(OpsPaths paths, Func<string, string?>? environment = null)
    {
        _paths = paths;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public string FilePath => Path.Combine(_paths.StateHome, FileName);

    /// <summary>Whether <paramref name="id"/> has an incident id's form (letters, digits and dashes, up to 64).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    /// <summary>The current incident's id and where it came from; null when there is none (an unreadable or malformed file is none).</summary>
    public Resolved<string>? Get()
    {
        var fromEnv = _environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv) && IsValidId(fromEnv.Trim())) return new(fromEnv.Trim(), "$env:" + EnvironmentVariable);
        try
        {
            if (!File.Exists(FilePath)) return null;
            var id = File.ReadAllText(FilePath).Trim();
            return IsValidId(id) ? new(id, FilePath) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Makes <paramref name="id"/> the current incident (the state file, 0600).</summary>
    public void Set(string id)
    {
        if (!IsValidId(id))
            throw new OpsException("IncidentIdInvalid", OpsErrorCategory.InvalidArgument, $"'{id}' is not an incident id (like INC-20261202-0001).", id);
        FileUtil.EnsureAppFolder(_paths.StateHome);
        FileUtil.WriteAtomic(FilePath, id + "\n", ownerOnly: true);
    }

    /// <summary>Clears the current incident when it is <paramref name="id"/> (or any, when null); true when the file was removed.</summary>
    public bool Clear(string? id = null)
    {
        try
        {
            if (!File.Exists(FilePath)) return false;
            if (id is not null && !string.Equals(File.ReadAllText(FilePath).Trim(), id, StringComparison.OrdinalIgnoreCase)) return false;
            File.Delete(FilePath);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }
}
