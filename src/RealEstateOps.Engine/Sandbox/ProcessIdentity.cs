using System.Diagnostics;
using System.Globalization;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>
/// Who a process id stands for: its start time (which a reused id does not share) and its command line, read
/// from /proc on Linux (the process's own start time elsewhere). A recorded id is killed only when both still match.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>
    /// The process's start time as a stable number: /proc/&lt;pid&gt;/stat field 22 (clock ticks since boot) on Linux,
    /// Process.StartTime's UTC ticks elsewhere; null when no such process is running.
    /// </summary>
    public static long? StartTicks(int pid)
    {
        if (pid <= 0) return null;
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so count from the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return p.HasExited ? null : p.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception) { return null; }
    }

    /// <summary>The process's arguments (/proc/&lt;pid&gt;/cmdline), or null where they cannot be read (not Linux, gone).</summary>
    public static IReadOnlyList<string>? CommandLine(int pid)
    {
        if (!OperatingSystem.IsLinux() || pid <= 0) return null;
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }
}
