using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Journal;

namespace RealEstateOps.Commands.Journal;

/// <summary>Reads the journal of state changes back, filtered by time, command, target, outcome or correlation id.</summary>
[Cmdlet(VerbsCommon.Get, "OpsJournal")]
[OutputType(typeof(JournalEntry))]
public sealed class GetOpsJournalCommand : OpsCommandBase
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Command { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[]? Target { get; set; }

    [Parameter] public DateTime? After { get; set; }
    [Parameter] public DateTime? Before { get; set; }

    /// <summary>Only entries from this long ago until now (e.g. 2h, 1d); combines with -Before.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? Within { get; set; }

    [Parameter] public JournalOutcome[]? Outcome { get; set; }
    [Parameter] public string? CorrelationId { get; set; }

    /// <summary>Only the newest N matching entries.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Newest { get; set; }

    /// <summary>Another journal file (one copied from a server, say).</summary>
    [Parameter] public string? Path { get; set; }

    protected override void ProcessRecordCore()
    {
        var file = Path is null ? Paths.JournalFile : GetUnresolvedProviderPathFromPSPath(Path);
        WriteVerbose($"Journal: {file}");
        if (Path is not null && !File.Exists(file))
            throw new Engine.Common.OpsException("OpsJournalNotFound", Engine.Common.OpsErrorCategory.ObjectNotFound, $"There is no journal at '{file}'.", file);

        DateTimeOffset? after = After is { } a ? new DateTimeOffset(a.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(a, DateTimeKind.Local) : a) : null;
        if (Within is { } within)
        {
            var since = DateTimeOffset.UtcNow - within;
            if (after is null || since > after) after = since;
        }
        var query = new JournalQuery
        {
            After = after,
            Before = Before is { } b ? new DateTimeOffset(b.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(b, DateTimeKind.Local) : b) : null,
            Command = Command, Target = Target, Outcome = Outcome, CorrelationId = CorrelationId,
        };
        var entries = new OpsJournal(file).Read(query);
        if (Newest is { } n)
        {
            var ring = new Queue<JournalEntry>(n);
            foreach (var e in entries) { if (ring.Count == n) ring.Dequeue(); ring.Enqueue(e); }
            entries = ring;
        }
        foreach (var entry in entries) WriteObject(entry);
    }
}
