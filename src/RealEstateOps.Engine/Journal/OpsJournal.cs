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

    public void Append(JournalEntry entry)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        using (AcquireWriterLock())
        using (var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1))
        {
            stream.Write(bytes, 0, bytes.Length);
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
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(Math.Min(50, 1 + attempt));
            }
        }
    }

    /// <summary>Entries in the order written, streamed; lines that are not valid entries are skipped.</summary>
    public IEnumerable<JournalEntry> Read(JournalQuery? query = null)
    {
        query ??= new JournalQuery();
        if (!File.Exists(FilePath)) yield break;
        var commands = query.Command?.Select(Wildcard.ToRegex).ToArray();
        var targets = query.Target?.Select(Wildcard.ToRegex).ToArray();
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
            yield return e;
        }
    }
}
