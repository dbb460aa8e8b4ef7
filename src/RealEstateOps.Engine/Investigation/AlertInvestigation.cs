using RealEstateOps.Engine.Journal;

namespace RealEstateOps.Engine.Investigation;

/// <summary>
/// The High Error Rate response's assessment in one object: which services spiked and since when, the changes in the window
/// (rollouts, Argo CD syncs, journal entries), the top error lines of the affected pods, node and pod pressure, and the
/// runbook's suggested action. A piece that could not be read says so in <see cref="Gaps"/>; nothing is made up.
/// </summary>
public sealed class AlertInvestigation
{
    public string Alert { get; init; } = "";
    public string Namespace { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public double Threshold { get; init; }
    public string Unit { get; init; } = "";
    public IReadOnlyList<ServiceSpike> Spikes { get; init; } = Array.Empty<ServiceSpike>();
    /// <summary>The spiked services' names, for reading at a glance.</summary>
    public IReadOnlyList<string> AffectedServices => Spikes.Select(s => s.Service).Distinct().ToList();
    /// <summary>Deployment revisions created in the window, newest first.</summary>
    public IReadOnlyList<RecentChange> Rollouts { get; init; } = Array.Empty<RecentChange>();
    /// <summary>Argo CD's syncs into the namespace in the window, newest first (none when Argo CD could not be read: see <see cref="ArgoCd"/>).</summary>
    public IReadOnlyList<RecentChange> ArgoCdSyncs { get; init; } = Array.Empty<RecentChange>();
    /// <summary>Where the Argo CD syncs stand: how many were read, or "Argo CD not read: ..." with the reason.</summary>
    public string ArgoCd { get; init; } = "";
    /// <summary>This module's journal entries in the window (changes made, failed or stopped), newest first.</summary>
    public IReadOnlyList<JournalEntry> JournalEntries { get; init; } = Array.Empty<JournalEntry>();
    public IReadOnlyList<ErrorLogGroup> ErrorLines { get; init; } = Array.Empty<ErrorLogGroup>();
    public IReadOnlyList<ResourcePressure> Pressure { get; init; } = Array.Empty<ResourcePressure>();
    /// <summary>The most recent change in the window (a rollout of a spiked service first, else any rollout, else a journal entry).</summary>
    public RecentChange? MostRecentChange { get; init; }
    public SuggestedAction Suggestion { get; init; } = new();
    /// <summary>Pieces that could not be read, each with why (Kubernetes unreachable, ...).</summary>
    public IReadOnlyList<string> Gaps { get; init; } = Array.Empty<string>();
}
