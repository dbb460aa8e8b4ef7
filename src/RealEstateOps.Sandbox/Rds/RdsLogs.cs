using System.Globalization;
using System.Text;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>One portion of a log file as DownloadDBLogFilePortion returns it: the text, the marker after it, and whether more follows.</summary>
internal sealed record RdsLogPortion(string Data, long End, bool Pending);

/// <summary>The instance's log files: the real PostgreSQL server's log, read in portions as RDS pages them.</summary>
internal sealed class RdsLogs
{
    private const int MaxPortionBytes = 1024 * 1024;
    private const int DefaultPortionLines = 10_000;

    private readonly RdsPostgres _pg;

    public RdsLogs(RdsPostgres pg) => _pg = pg;

    /// <summary>The log files whose names contain <paramref name="contains"/> (all when empty).</summary>
    public async Task<List<(string Name, FileInfo Info)>> FilesAsync(string? contains, CancellationToken ct) =>
        (await _pg.LogFilesAsync(ct)).Where(f => string.IsNullOrEmpty(contains) || f.Name.Contains(contains, StringComparison.Ordinal))
            .Select(f => (f.Name, Info: new FileInfo(f.Path))).ToList();

    /// <summary>
    /// As RDS: with a marker, the lines after it (up to <paramref name="numberOfLines"/>, 10000 by default, and 1 MB);
    /// "0" is the start of the file. Without one, the last lines. Portions end at line ends.
    /// </summary>
    public async Task<RdsLogPortion> ReadPortionAsync(string name, string? numberOfLines, string? marker, CancellationToken ct)
    {
        var file = (await _pg.LogFilesAsync(ct)).FirstOrDefault(f => f.Name == name);
        if (file.Path is null) throw new RdsFault(404, "DBLogFileNotFoundFault", $"DBLog File: {name}, is not found on the DB instance");
        var lines = DefaultPortionLines;
        if (numberOfLines is { Length: > 0 } n && (!int.TryParse(n, out lines) || lines < 1))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid value {n} for NumberOfLines.");
        byte[] bytes;
        await using (var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes, ct);
        }
        string data;
        long end;
        bool pending;
        if (marker is { Length: > 0 })
        {
            var offsetText = marker.Contains(':') ? marker[(marker.IndexOf(':') + 1)..] : marker;
            if (!long.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start > bytes.Length)
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid marker: {marker}");
            end = start;
            var count = 0;
            while (end < bytes.Length && count < lines)
            {
                var nl = Array.IndexOf(bytes, (byte)'\n', (int)end);
                var next = nl < 0 ? bytes.Length : nl + 1;
                if (next - start > MaxPortionBytes && count > 0) break;
                end = next;
                count++;
            }
            data = Encoding.UTF8.GetString(bytes, (int)start, (int)(end - start));
            pending = end < bytes.Length;
        }
        else
        {
            end = bytes.Length;
            var start = end;
            var count = 0;
            while (start > 0 && count < lines)
            {
                var nl = start >= 2 ? Array.LastIndexOf(bytes, (byte)'\n', (int)start - 2) : -1;
                var prev = nl + 1;
                if (end - prev > MaxPortionBytes && count > 0) break;
                start = prev;
                count++;
            }
            data = Encoding.UTF8.GetString(bytes, (int)start, (int)(end - start));
            pending = false;
        }
        return new RdsLogPortion(data, end, pending);
    }
}
