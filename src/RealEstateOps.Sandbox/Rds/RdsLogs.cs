using System.Globalization;
using System.Text;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>One portion of a log file as DownloadDBLogFilePortion returns it: the text, the marker after it, and whether more follows.</summary>
internal sealed record RdsLogPortion(string Data, long End, bool Pending);

/// <summary>
/// The instance's log files: the real PostgreSQL server's log, read in portions as RDS pages them, and the files a test
/// seeded (many, or long ones, so that lists and reads have several pages) in the sandbox's own state folder.
/// </summary>
internal sealed partial class RdsLogs
{
    private const int MaxPortionBytes = 1024 * 1024;
    private const int DefaultPortionLines = 10_000;

    private readonly RdsPostgres _pg;
    private readonly string _seeded;

    public RdsLogs(RdsPostgres pg, string seededFolder)
    {
        _pg = pg;
        _seeded = seededFolder;
        // Seeded files of an earlier sandbox in this state folder belonged to its instances, which are gone.
        if (Directory.Exists(_seeded)) Directory.Delete(_seeded, recursive: true);
        Engine.Common.FileUtil.CreatePrivateDirectory(_seeded);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial System.Text.RegularExpressions.Regex PrefixShape();

    /// <summary>
    /// Seeds <paramref name="count"/> log files error/&lt;prefix&gt;.log.NNNN of <paramref name="lines"/> lines each
    /// (written once, before they are listed); returns their names.
    /// </summary>
    public IReadOnlyList<string> Seed(int count, int lines, string prefix)
    {
        if (!PrefixShape().IsMatch(prefix)) throw new ArgumentException("The prefix is 1 to 40 lowercase letters, digits or hyphens.", nameof(prefix));
        var text = new StringBuilder();
        var names = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var file = $"{prefix}.log.{i:D4}";
            text.Clear();
            for (var n = 1; n <= lines; n++)
                text.Append(CultureInfo.InvariantCulture, $"2026-11-28 02:{n / 60 % 60:D2}:{n % 60:D2} UTC::@:[{1000 + i}]:LOG:  seeded line {n} of {file}\n");
            Engine.Common.FileUtil.WriteAtomic(Path.Combine(_seeded, file), text.ToString(), ownerOnly: true);
            names.Add("error/" + file);
        }
        return names;
    }

    private async Task<List<(string Name, string Path)>> AllAsync(CancellationToken ct)
    {
        var files = (await _pg.LogFilesAsync(ct)).ToList();
        files.AddRange(Directory.EnumerateFiles(_seeded).Order(StringComparer.Ordinal).Select(f => ("error/" + Path.GetFileName(f), f)));
        return files;
    }

    /// <summary>The log files whose names contain <paramref name="contains"/> (all when empty).</summary>
    public async Task<List<(string Name, FileInfo Info)>> FilesAsync(string? contains, CancellationToken ct) =>
        (await AllAsync(ct)).Where(f => string.IsNullOrEmpty(contains) || f.Name.Contains(contains, StringComparison.Ordinal))
            .Select(f => (f.Name, Info: new FileInfo(f.Path))).ToList();

    /// <summary>
    /// As RDS: with a marker, the lines after it (up to <paramref name="numberOfLines"/>, 10000 by default, and 1 MB);
    /// "0" is the start of the file. Without one, the last lines. Portions end at line ends.
    /// </summary>
    public async Task<RdsLogPortion> ReadPortionAsync(string name, string? numberOfLines, string? marker, CancellationToken ct)
    {
        var file = (await AllAsync(ct)).FirstOrDefault(f => f.Name == name);
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
