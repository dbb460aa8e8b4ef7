using System.Security.Cryptography;

namespace RealEstateOps.Engine.Backup;

/// <summary>A read-only pass-through that counts and SHA-256-hashes every byte read.</summary>
internal sealed class HashingStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public HashingStream(Stream inner) => _inner = inner;

    public long BytesRead { get; private set; }
    public string HashHex() => Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, _inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await _inner.ReadAsync(buffer, ct).ConfigureAwait(false);
        return Count(buffer.Span[..n]);
    }

    private int Count(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        BytesRead += data.Length;
        return data.Length;
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
