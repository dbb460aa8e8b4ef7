using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>
/// The record a sandbox keeps of the monitoring programs it started (Prometheus, Alertmanager): their folder
/// (<c>monitoring-&lt;random&gt;</c> in the state folder, with a marker file holding a random id) and each process id with
/// its start time. The next start, and Stop-OpsSandbox when the sandbox no longer answers, stop what is recorded:
/// a process only while its start time still matches and its command line names that folder, the folder only while
/// it carries the recorded marker. Nothing else is ever stopped or removed.
/// </summary>
public static class SandboxMonitoringRecord
{
    public const string RecordFileName = "monitoring.json";
    public const string MarkerFileName = ".realestateops-monitoring-marker";

    /// <summary>One started program: its id, /proc start time and the program file.</summary>
    public sealed record RecordedProcess(int ProcessId, long? StartTicks, string Program);

    /// <summary>Records <paramref name="folder"/> (carrying <paramref name="marker"/>) and its processes in <paramref name="stateDir"/>, owner-only.</summary>
    public static void Write(string stateDir, string folder, string marker, IEnumerable<RecordedProcess> processes)
    {
        var list = new JsonArray();
        foreach (var p in processes) list.Add(new JsonObject { ["processId"] = p.ProcessId, ["startTicks"] = p.StartTicks, ["program"] = p.Program });
        FileUtil.WriteAtomic(Path.Combine(stateDir, RecordFileName),
            new JsonObject { ["folder"] = Path.GetFullPath(folder), ["marker"] = marker, ["processes"] = list }.ToJsonString(), ownerOnly: true);
    }

    /// <summary>
    /// Stops the processes and removes the folder recorded in <paramref name="stateDir"/>, each only while it is still the
    /// recorded one, then drops the record. Returns what was done, for a log line; null when nothing was recorded.
    /// </summary>
    public static async Task<string?> StopRecordedAsync(string stateDir, CancellationToken ct)
    {
        var recordFile = Path.Combine(stateDir, RecordFileName);
        JsonNode? record;
        try { record = JsonNode.Parse(File.ReadAllText(recordFile)); }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException) { return null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return $"the monitoring record '{recordFile}' could not be read ({ex.Message}): nothing was stopped";
        }
        var folder = (string?)record?["folder"];
        var marker = (string?)record?["marker"];
        var said = new List<string>();
        if (folder is not null)
        {
            foreach (var p in (record!["processes"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            {
                var pid = (int?)p["processId"] ?? 0;
                var ticks = (long?)p["startTicks"];
                said.Add(await StopProcessAsync(pid, ticks, folder, ct).ConfigureAwait(false)
                    ? $"stopped {Path.GetFileName((string?)p["program"] ?? "process")} ({pid})"
                    : $"process {pid} is no longer the recorded one (left alone)");
            }
            said.Add(RemoveFolder(stateDir, folder, marker) ? $"removed {folder}" : $"kept {folder} (not the recorded folder)");
        }
        File.Delete(recordFile);
        return string.Join("; ", said);
    }

    /// <summary>
    /// Stops process <paramref name="pid"/> (SIGTERM, then SIGKILL after a few seconds) when it started at
    /// <paramref name="startTicks"/> and one of its arguments names <paramref name="folder"/>; false when it is not that process.
    /// </summary>
    public static async Task<bool> StopProcessAsync(int pid, long? startTicks, string folder, CancellationToken ct)
    {
        if (pid <= 0 || startTicks is null || ProcessIdentity.StartTicks(pid) != startTicks) return false;
        var args = ProcessIdentity.CommandLine(pid);
        if (OperatingSystem.IsLinux() && (args is null || !args.Any(a => a.Contains(Path.GetFullPath(folder), StringComparison.Ordinal)))) return false;
        Signal(pid, 15);
        for (var i = 0; i < 50 && ProcessIdentity.StartTicks(pid) == startTicks; i++) await Task.Delay(100, ct).ConfigureAwait(false);
        if (ProcessIdentity.StartTicks(pid) == startTicks) Signal(pid, 9);
        return true;
    }

    /// <summary>Removes <paramref name="folder"/> when it is a real folder directly in <paramref name="stateDir"/> that carries <paramref name="marker"/>.</summary>
    public static bool RemoveFolder(string stateDir, string folder, string? marker)
    {
        folder = Path.GetFullPath(folder);
        if (string.IsNullOrEmpty(marker) || Path.GetDirectoryName(folder) != Path.GetFullPath(stateDir).TrimEnd(Path.DirectorySeparatorChar)) return false;
        if (!Path.GetFileName(folder).StartsWith("monitoring-", StringComparison.Ordinal)) return false;
        var info = new DirectoryInfo(folder);
        if (!info.Exists || info.LinkTarget is not null) return false;
        try
        {
            if (File.ReadAllText(Path.Combine(folder, MarkerFileName)).Trim() != marker) return false;
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    private static void Signal(int pid, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            try { using var p = System.Diagnostics.Process.GetProcessById(pid); p.Kill(); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { }
            return;
        }
        _ = kill(pid, signal);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
