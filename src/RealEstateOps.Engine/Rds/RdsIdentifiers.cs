using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// RDS's identifier rules, checked before any call: letters, digits and hyphens; a letter first; no
/// two hyphens in a row and none at the end; at most 63 characters for an instance and 255 for a
/// snapshot. Automated snapshots are named "rds:&lt;instance&gt;-&lt;date&gt;": such names can be
/// referred to, never created.
/// </summary>
public static partial class RdsIdentifiers
{
    public const int MaxInstanceLength = 63;
    public const int MaxSnapshotLength = 255;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]*$")]
    private static partial Regex Shape();

    public static string? Problem(string? id, int maxLength)
    {
        if (string.IsNullOrEmpty(id)) return "it is empty";
        if (id.Length > maxLength) return $"it is {id.Length} characters long; the limit is {maxLength}";
        if (!char.IsAsciiLetter(id[0])) return "it must start with a letter";
        if (!Shape().IsMatch(id)) return "it may contain only letters, digits and hyphens";
        if (id.Contains("--", StringComparison.Ordinal)) return "it must not contain two consecutive hyphens";
        if (id.EndsWith('-')) return "it must not end with a hyphen";
        return null;
    }

    public static void ValidateInstanceId(string? id, string parameter = "DbInstanceId")
    {
        if (Problem(id, MaxInstanceLength) is { } why)
            throw new OpsException("DbInstanceIdInvalid", OpsErrorCategory.InvalidArgument,
                $"'{id}' is not a valid DB instance identifier (-{parameter}): {why}. Use 1 to {MaxInstanceLength} letters, digits or hyphens, starting with a letter.", id);
    }

    /// <summary>A snapshot id for a new snapshot (never an automated "rds:" name).</summary>
    public static void ValidateNewSnapshotId(string? id, string parameter = "SnapshotId")
    {
        if (Problem(id, MaxSnapshotLength) is { } why)
            throw new OpsException("DbSnapshotIdInvalid", OpsErrorCategory.InvalidArgument,
                $"'{id}' is not a valid DB snapshot identifier (-{parameter}): {why}. Use 1 to {MaxSnapshotLength} letters, digits or hyphens, starting with a letter.", id);
    }

    /// <summary>A reference to an existing snapshot: a manual name, or an automated "rds:" one.</summary>
    public static void ValidateSnapshotRef(string? id, string parameter = "SnapshotId")
    {
        var name = id is not null && id.StartsWith("rds:", StringComparison.OrdinalIgnoreCase) ? id[4..] : id;
        if (Problem(name, MaxSnapshotLength) is { } why)
            throw new OpsException("DbSnapshotIdInvalid", OpsErrorCategory.InvalidArgument,
                $"'{id}' is not a valid DB snapshot identifier (-{parameter}): {why}.", id);
    }
}
