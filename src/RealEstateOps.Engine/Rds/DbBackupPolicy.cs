using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The backup policy Test-DbBackupPolicy checks an instance against. The defaults are the Backup and Recovery runbook's:
/// automated backups daily at 02:00-03:00 UTC, kept 14 days, full snapshot plus transaction logs; and what keeps them safe
/// (tags copied to snapshots, deletion protection, encrypted storage). A context can change each (Set-OpsContext -Backup*).
/// </summary>
public sealed class DbBackupPolicy
{
    /// <summary>The automated backup window, "hh:mm-hh:mm" UTC; the instance's window must lie inside it.</summary>
    public string BackupWindow { get; init; } = "02:00-03:00";
    /// <summary>The fewest days automated backups (and so point-in-time recovery) must be kept.</summary>
    public int RetentionDays { get; init; } = 14;
    public bool RequireCopyTagsToSnapshot { get; init; } = true;
    public bool RequireDeletionProtection { get; init; } = true;
    public bool RequireEncryption { get; init; } = true;
    /// <summary>The oldest the newest automated snapshot may be: a day plus the window and some slack.</summary>
    public TimeSpan MaxAutomatedSnapshotAge { get; init; } = TimeSpan.FromHours(26);
    /// <summary>The oldest LatestRestorableTime may be (transaction logs are shipped every five minutes on RDS).</summary>
    public TimeSpan MaxRestoreLag { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>The oldest the newest manual snapshot may be; null: its age is reported, not judged.</summary>
    public TimeSpan? MaxManualSnapshotAge { get; init; }
    /// <summary>The oldest the newest export in the backups bucket may be; null: its age is reported, not judged.</summary>
    public TimeSpan? MaxExportAge { get; init; }

    /// <summary>The window's start and end as minutes of the day (UTC); the end may be past midnight (end &lt; start).</summary>
    public static (int Start, int End) ParseWindow(string window, string setting = "BackupWindow")
    {
        var parts = window.Split('-');
        if (parts.Length == 2 && TryMinute(parts[0], out var start) && TryMinute(parts[1], out var end) && start != end) return (start, end);
        throw new OpsException("DbBackupWindowInvalid", OpsErrorCategory.InvalidArgument,
            $"{setting} '{window}' is not a window: give it as hh:mm-hh:mm in UTC, as RDS does (e.g. 02:00-03:00).", window);
    }

    private static bool TryMinute(string text, out int minute)
    {
        minute = 0;
        var hm = text.Trim().Split(':');
        if (hm.Length != 2 || !int.TryParse(hm[0], out var h) || !int.TryParse(hm[1], out var m) || h is < 0 or > 23 || m is < 0 or > 59 || hm[0].Length != 2 || hm[1].Length != 2) return false;
        minute = h * 60 + m;
        return true;
    }

    /// <summary>Whether window <paramref name="inner"/> lies within <paramref name="outer"/> (both may wrap past midnight).</summary>
    public static bool Within(string inner, string outer)
    {
        var (s, e) = ParseWindow(inner, "PreferredBackupWindow");
        var (os, oe) = ParseWindow(outer);
        int Offset(int minute) => ((minute - os) % 1440 + 1440) % 1440;
        var length = Offset(oe);
        var innerLength = ((e - s) % 1440 + 1440) % 1440;
        return Offset(s) + innerLength <= length;
    }
}
