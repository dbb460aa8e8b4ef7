using System.Globalization;
using System.Text;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Journal;

namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The post-incident review's document (Markdown): summary and impact, one timeline merged from the incident's notes, every
/// journal entry stamped with its id or made in its window (who, when, the correlation id) and the alerts that fired, then the
/// sections the review fills (root cause, contributing factors, preventive measures, runbook updates). Due 48 h after resolution.
/// </summary>
public sealed class IncidentPostMortemWriter
{
    private readonly TimeProvider _time;

    public IncidentPostMortemWriter(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The incident's window: opened until closed (else resolved, else now).</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Window(Incident incident) => (incident.OpenedAt, incident.ClosedAt ?? incident.ResolvedAt ?? _time.GetUtcNow());

    /// <summary>The journal entries of the post-mortem: those stamped with the incident's id, and all in its window, in time order.</summary>
    public IReadOnlyList<JournalEntry> JournalEntries(Incident incident, OpsJournal journal)
    {
        var (start, end) = Window(incident);
        return journal.Read()
            .Where(e => string.Equals(e.IncidentId, incident.Id, StringComparison.OrdinalIgnoreCase) || (e.Timestamp >= start && e.Timestamp <= end))
            .OrderBy(e => e.Timestamp)
            .ToList();
    }

    public string Render(Incident incident, IReadOnlyList<IncidentNote> notes, IReadOnlyList<JournalEntry> journal, IReadOnlyList<IncidentAlert>? alerts, string? alertsNote)
    {
        var inv = CultureInfo.InvariantCulture;
        string T(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", inv);
        string? T2(DateTimeOffset? t) => t is { } v ? T(v) : null;
        var (start, end) = Window(incident);
        var md = new StringBuilder();
        md.Append(inv, $"# Post-mortem: {incident.Id} {Cell(incident.Title)}\n\n");
        md.Append(inv, $"- Severity: {incident.Severity}\n- Component: {Cell(incident.Component)}\n- Status: {incident.Status}\n");
        md.Append(inv, $"- Commander: {Cell(incident.Commander ?? "(none)")}\n- Opened: {T(incident.OpenedAt)} by {Cell(incident.OpenedBy)}\n");
        md.Append(inv, $"- First response: {T2(incident.AcknowledgedAt) ?? "none"}\n- Resolved: {T2(incident.ResolvedAt) ?? "not yet"}\n- Closed: {T2(incident.ClosedAt) ?? "not yet"}\n");
        md.Append(inv, $"- Post-mortem due: {T2(incident.PostMortemDue) ?? "48 hours after resolution"}\n- Window: {T(start)} to {T(end)}\n\n");
        md.Append("## Summary\n\n").Append(incident.Summary ?? "_To fill: what happened, in two or three sentences._").Append("\n\n");
        md.Append("## Impact\n\n").Append(incident.Impact ?? "_To fill: who was affected, how, for how long._").Append("\n\n");

        var rows = new List<(DateTimeOffset At, int Order, string Source, string Who, string What, string Correlation)>();
        foreach (var n in notes) rows.Add((n.At, 0, "note: " + n.Kind, n.Author + (n.Host is null ? "" : "@" + n.Host), n.Text, ""));
        foreach (var e in journal)
        {
            var what = $"{e.Command}: {e.Action ?? ""} {(e.Target is null ? "" : "(" + e.Target + ")")} {e.Outcome}{(e.ErrorId is null ? "" : " " + e.ErrorId)}".Trim();
            rows.Add((e.Timestamp, 1, "journal" + (e.Context is null ? "" : " (" + e.Context + ")"), e.User + "@" + e.Host, what, e.CorrelationId ?? ""));
        }
        foreach (var a in alerts ?? Array.Empty<IncidentAlert>())
            rows.Add((a.FirstSeen, 2, "alert", "Prometheus", $"{a.Name} firing{(a.Severity is null ? "" : " (" + a.Severity + ")")} {a.Labels} until {T(a.LastSeen)}".Trim(), ""));
        md.Append("## Timeline\n\n");
        md.Append(inv, $"{notes.Count} notes, {journal.Count} journal entries, {(alerts is null ? "alerts: " + alertsNote : alerts.Count + " alerts")}.\n\n");
        md.Append("| Time (UTC) | Source | Who | What | Correlation id |\n|---|---|---|---|---|\n");
        foreach (var r in rows.OrderBy(r => r.At).ThenBy(r => r.Order))
            md.Append(inv, $"| {T(r.At)} | {Cell(r.Source)} | {Cell(r.Who)} | {Cell(r.What)} | {Cell(r.Correlation)} |\n");
        md.Append("\n## Alerts that fired\n\n");
        if (alerts is null) md.Append(alertsNote).Append("\n\n");
        else if (alerts.Count == 0) md.Append("None fired in the window.\n\n");
        else foreach (var a in alerts) md.Append(inv, $"- {a.Name}{(a.Severity is null ? "" : " (" + a.Severity + ")")} {a.Labels}: {T(a.FirstSeen)} to {T(a.LastSeen)}\n");
        if (alerts is { Count: > 0 }) md.Append('\n');
        foreach (var section in new[] { "Root cause", "Contributing factors", "Preventive measures", "Runbook updates" })
            md.Append("## ").Append(section).Append("\n\n_To fill in the review._\n\n");
        return md.ToString();
    }

    /// <summary>Writes <paramref name="markdown"/> to <paramref name="path"/> owner-only (0600); an existing file is PostMortemFileExists unless <paramref name="overwrite"/>.</summary>
    public static void Write(string path, string markdown, bool overwrite)
    {
        if (File.Exists(path) && !overwrite)
            throw new OpsException("PostMortemFileExists", OpsErrorCategory.ResourceExists,
                $"'{path}' exists: give another -Path, or -Overwrite to replace it.", path);
        if (Directory.Exists(path))
            throw new OpsException("PostMortemPathIsFolder", OpsErrorCategory.InvalidArgument, $"'{path}' is a folder: give a file name.", path);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new OpsException("PostMortemFolderNotFound", OpsErrorCategory.ObjectNotFound, $"The folder '{folder}' does not exist.", path);
        if (overwrite)
        {
            FileUtil.WriteAtomic(path, markdown, ownerOnly: true);
            return;
        }
        try
        {
            // CreateNew: another writer that made the file since the check above is not overwritten either.
            using var stream = new FileStream(path, FileUtil.CreateOptions(FileMode.CreateNew, FileAccess.Write, FileShare.None, ownerOnly: true));
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            writer.Write(markdown);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new OpsException("PostMortemFileExists", OpsErrorCategory.ResourceExists, $"'{path}' exists: give another -Path, or -Overwrite to replace it.", path);
        }
    }

    private static string Cell(string s) => s.Replace("\r", " ").Replace("\n", " ").Replace("|", "\\|");
}
