namespace RealEstateOps.Engine.Common;

/// <summary>How loud a note is: the cmdlet layer writes Verbose to the verbose stream, Information to the information stream, Warning as a warning.</summary>
public enum OpsNoteLevel
{
    Verbose,
    Information,
    Warning,
}

/// <summary>
/// What an engine operation tells its caller while it works, besides its result: notes, progress and
/// per-item failures. Operations take an <see cref="IProgress{OpsEvent}"/> (null when nobody listens) and
/// report typed events; they never format for a host, and a cmdlet never inspects an event's text to decide
/// what it is.
/// </summary>
public abstract record OpsEvent;

/// <summary>A message with a level (e.g. "Copied the source's subnet group", Verbose; "the source was deleted", Warning).</summary>
public sealed record OpsNote(OpsNoteLevel Level, string Message) : OpsEvent
{
    public static OpsNote Verbose(string message) => new(OpsNoteLevel.Verbose, message);
    public static OpsNote Information(string message) => new(OpsNoteLevel.Information, message);
    public static OpsNote Warning(string message) => new(OpsNoteLevel.Warning, message);
}

/// <summary>Progress of one activity (Write-Progress): <paramref name="ActivityId"/> tells parallel activities apart, <paramref name="ParentId"/> nests them.</summary>
public sealed record OpsProgress(int ActivityId, string Activity, string Status, int? PercentComplete = null, bool Completed = false, int ParentId = -1) : OpsEvent;

/// <summary>One item failed and the operation goes on with the others (a non-terminating error).</summary>
public sealed record OpsItemFailed(OpsException Error) : OpsEvent;

/// <summary>Helpers for operations that report events to an optional listener.</summary>
public static class OpsEvents
{
    public static void Note(this IProgress<OpsEvent>? events, OpsNoteLevel level, string message) => events?.Report(new OpsNote(level, message));
    public static void Verbose(this IProgress<OpsEvent>? events, string message) => events?.Report(OpsNote.Verbose(message));
    public static void Warning(this IProgress<OpsEvent>? events, string message) => events?.Report(OpsNote.Warning(message));
    public static void ItemFailed(this IProgress<OpsEvent>? events, OpsException error) => events?.Report(new OpsItemFailed(error));
}
