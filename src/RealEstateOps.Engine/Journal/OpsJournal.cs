using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Journal;

public sealed class JournalQuery
{
    public DateTimeOffset? After { get; init; }
    public DateTimeOffset? Before { get; init; }
    /// <summary>Wildcard patterns (*, ?) matched against the command name.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>Wildcard patterns matched against the target.</summary>
    public IReadOnlyList<string>? Target { get; init; }
    public IReadOnlyList<JournalOutcome>? Outcome { get; init; }
    public string? CorrelationId { get; init; }
    /// <summary>Only entries stamped with this incident id.</summary>
    public string? IncidentId { get; init; }
}

/// <summary>
/// The append-only journal: one JSON object per line, written whole under a writer lock, so
/// concurrent writers (two scheduled scripts at once, or parallel tasks) never interleave.
/// </summary>
public sealed class OpsJournal
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public OpsJournal(string path) => FilePath = path;

    public string FilePath { get; }

    /// <summary>
    /// Appends one entry as one line, in one write, under the writer lock. A line that an earlier
    /// writer left half-written (disk full, a crash) is closed first: when the file does not end with
    /// a newline the entry starts on a new line, so the damaged line stays one skipped line and never
    /// swallows this entry. A write that fails is cut back off the file when possible. The journal
    /// and its lock are created 0600, missing folders 0700.
    /// </summary>
    public void Append(JournalEntry entry)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath))!;
        FileUtil.EnsureAppFolder(folder);
        using (AcquireWriterLock())
        using (var stream = new FileStream(FilePath, FileUtil.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, ownerOnly: true, bufferSize: 0)))
        {
            var handle = stream.SafeFileHandle;
            var length = RandomAccess.GetLength(handle);
            var bytes = line;
            if (length > 0)
            {
                Span<byte> last = stackalloc byte[1];
                if (RandomAccess.Read(handle, last, length - 1) == 1 && last[0] != (byte)'\n')
                {
                    bytes = new byte[line.Length + 1];
                    bytes[0] = (byte)'\n';
                    line.CopyTo(bytes, 1);
                }
            }
            try
            {
                RandomAccess.Write(handle, bytes, length);
            }
            catch (IOException)
            {
                // Disk full mid-line: take the partial line back off, so the file ends where it did.
                try { RandomAccess.SetLength(handle, length); } catch (IOException) { }
                throw;
            }
        }
    }

    /// <summary>
    /// Writers take an exclusive lock on a lock file beside the journal (an OS file lock, so it holds
    /// across processes and is released if a writer dies); readers never take it, so a long read
    /// does not hold writers up.
    /// </summary>
    private FileStream AcquireWriterLock()
    {
        var lockPath = FilePath + ".lock";
        var deadline = Environment.TickCount64 + 10_000;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockPath, FileUtil.CreateOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, ownerOnly: true, bufferSize: 1));
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(Math.Min(50, 1 + attempt));
            }
        }
    }

    /// <summary>Entries in the order written, streamed; lines that are not valid entries are skipped.</summary>
    /// <remarks>The -Command and -Target patterns are checked at once (WildcardPatternInvalid), even when there is no journal yet.</remarks>
    public IEnumerable<JournalEntry> Read(JournalQuery? query = null)
    {
        query ??= new JournalQuery();
        var commands = query.Command?.Select(Wildcard.ToRegex).ToArray();
        var targets = query.Target?.Select(Wildcard.ToRegex).ToArray();
        return ReadMatching(query, commands, targets);
    }

    private IEnumerable<JournalEntry> ReadMatching(JournalQuery query, System.Text.RegularExpressions.Regex[]? commands, System.Text.RegularExpressions.Regex[]? targets)
    {
        if (!File.Exists(FilePath)) yield break;
        using var stream = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            JournalEntry? e;
            try { e = JsonSerializer.Deserialize<JournalEntry>(line, Json); }
            catch (JsonException) { continue; }
            if (e is null) continue;
            if (query.After is { } after && e.Timestamp < after) continue;
            if (query.Before is { } before && e.Timestamp > before) continue;
            if (commands is not null && !commands.Any(r => r.IsMatch(e.Command))) continue;
            if (targets is not null && (e.Target is null || !targets.Any(r => r.IsMatch(e.Target)))) continue;
            if (query.Outcome is { Count: > 0 } outcomes && !outcomes.Contains(e.Outcome)) continue;
            if (query.CorrelationId is { } cid && !string.Equals(cid, e.CorrelationId, StringComparison.OrdinalIgnoreCase)) continue;
            if (query.IncidentId is { } iid && !string.Equals(iid, e.IncidentId, StringComparison.OrdinalIgnoreCase)) continue;
            yield return e;
        }
    }
}
