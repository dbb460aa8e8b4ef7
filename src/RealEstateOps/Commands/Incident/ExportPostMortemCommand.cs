using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// The post-incident review's document (Markdown, 0600): summary and impact, a timeline merged from the incident's notes, every
/// journal entry stamped with its id or made in its window (who, when, correlation id) and the alerts that fired (from the
/// context's Prometheus, "not configured" without one), and the sections to fill; due 48 hours after resolution. An existing
/// file is replaced only with -Overwrite.
/// </summary>
[Cmdlet(VerbsData.Export, "PostMortem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(IncidentPostMortem))]
public sealed class ExportPostMortemCommand : IncidentCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string? Id { get; set; }

    /// <summary>The file to write (default: postmortem-ID.md in the current folder).</summary>
    [Parameter(Position = 1)] public string? Path { get; set; }

    /// <summary>Replace the file when it exists.</summary>
    [Parameter] public SwitchParameter Overwrite { get; set; }

    protected override void ProcessRecordCore()
    {
        var id = IncidentIdOrCurrent(Id);
        var path = GetUnresolvedProviderPathFromPSPath(Path ?? $"postmortem-{id}.md");
        var incidents = Incidents;
        var writer = new IncidentPostMortemWriter();
        var (incident, notes) = Run(async ct =>
        {
            var found = await incidents.GetAsync(id, ct).ConfigureAwait(false);
            var list = new List<IncidentNote>();
            await foreach (var n in incidents.NotesAsync(id, ct).ConfigureAwait(false)) list.Add(n);
            return (found, (IReadOnlyList<IncidentNote>)list);
        });
        var journal = writer.JournalEntries(incident, new OpsJournal(Paths.JournalFile));
        var (alerts, alertsNote) = Alerts(writer, incident);
        var markdown = writer.Render(incident, notes, journal, alerts, alertsNote);
        var (start, end) = writer.Window(incident);
        if (!Change(path, $"Write the post-mortem of {id}", () => IncidentPostMortemWriter.Write(path, markdown, Overwrite))) return;
        WriteObject(new IncidentPostMortem
        {
            IncidentId = id, Path = path, Due = incident.PostMortemDue, WindowStart = start, WindowEnd = end, Notes = notes.Count,
            JournalEntries = journal.Count, Alerts = alerts?.Count, AlertsNote = alertsNote,
        });
    }

    private (IReadOnlyList<IncidentAlert>?, string?) Alerts(IncidentPostMortemWriter writer, Engine.Incident.Incident incident)
    {
        if (!ActiveContext.Effective.ServiceUrls.TryGetValue("prometheus", out var url) || string.IsNullOrWhiteSpace(url))
            return (null, "Prometheus is not configured in the context (Set-OpsContext -ServiceUrl @{ prometheus = '...' }): the alerts that fired are not listed.");
        var (start, end) = writer.Window(incident);
        try
        {
            using var client = OpenPrometheus(null, timeout: TimeSpan.FromSeconds(30));
            var reader = new IncidentAlertReader(new PromQueries(client));
            return (Run(ct => reader.FiredAsync(start, end, Listener, ct)), null);
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            WriteWarning($"The alerts that fired could not be read from Prometheus ({ex.ErrorId}): the post-mortem says so.");
            return (null, $"The alerts could not be read from Prometheus at {url} ({ex.ErrorId}: {ex.Message}).");
        }
    }
}
