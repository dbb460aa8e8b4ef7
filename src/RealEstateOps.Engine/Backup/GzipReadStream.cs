using System.IO.Compression;

namespace RealEstateOps.Engine.Backup;

/// <summary>
/// Reads a source and hands out its gzip (zlib level 0, 1, 6 or 9): the compression runs on the reader's thread as the
/// reader pulls, so a multipart upload that reads part by part drives it, with no pipe and no temporary file.
/// </summary>
internal sealed class GzipReadStream : ReadOnlyStream
{
    private readonly Stream _source;
    private readonly MemoryStream _out = new();
    private readonly GZipStream _gzip;
    private readonly byte[] _in = new byte[1 << 18];
    private int _position;
    private bool _done;

    public GzipReadStream(Stream source, int level)
    {
        _source = source;
        _gzip = new GZipStream(_out, ToCompressionLevel(level), leaveOpen: true);
    }

    /// <summary>The .NET levels that are zlib's own: 0 (none), 1 (BestSpeed), 6 (zlib's default), 9 (BestCompression); others are refused.</summary>
    public static bool IsSupported(int level) => level is 0 or 1 or 6 or 9;

    private static CompressionLevel ToCompressionLevel(int level) => level switch
    {
        0 => CompressionLevel.NoCompression,
        1 => CompressionLevel.Fastest,
        6 => CompressionLevel.Optimal,
        9 => CompressionLevel.SmallestSize,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (_position >= _out.Length && !_done)
        {
            _out.SetLength(0);
            _position = 0;
            var n = await _source.ReadAsync(_in, ct).ConfigureAwait(false);
            if (n == 0)
            {
                _gzip.Dispose(); // writes the last block and the trailer
                _done = true;
            }
            else _gzip.Write(_in, 0, n);
        }
        var take = (int)Math.Min(_out.Length - _position, buffer.Length);
        if (take <= 0) return 0;
        _out.GetBuffer().AsSpan(_position, take).CopyTo(buffer.Span);
        _position += take;
        return take;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _out.Dispose();
        }
        base.Dispose(disposing);
    }
}
