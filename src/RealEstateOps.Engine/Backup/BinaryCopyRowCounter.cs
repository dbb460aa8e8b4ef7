namespace RealEstateOps.Engine.Backup;

/// <summary>
/// A read-only pass-through over a COPY ... (FORMAT binary) stream that counts its rows as they go by (the format:
/// an 11-byte signature, flags, a header extension, then per row a field count and length-prefixed fields, then -1).
/// </summary>
internal sealed class BinaryCopyRowCounter : ReadOnlyStream
{
    private enum Phase { Header, ExtensionLength, Extension, Tuple, FieldLength, FieldData, Trailer }

    private readonly Stream _inner;
    private Phase _phase = Phase.Header;
    private long _skip = 15; // signature (11) and flags (4)
    private int _need;
    private int _have;
    private uint _acc;
    private int _fieldsLeft;

    public BinaryCopyRowCounter(Stream inner) => _inner = inner;

    public long Rows { get; private set; }
    public bool Complete => _phase == Phase.Trailer;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
        Feed(buffer.AsSpan(offset, n));
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await _inner.ReadAsync(buffer, ct).ConfigureAwait(false);
        Feed(buffer.Span[..n]);
        return n;
    }

    private void Expect(Phase phase, int bytes) => (_phase, _need, _have, _acc) = (phase, bytes, 0, 0);

    private void Feed(ReadOnlySpan<byte> data)
    {
        var i = 0;
        while (i < data.Length && _phase != Phase.Trailer)
        {
            if (_skip > 0)
            {
                var s = (int)Math.Min(_skip, data.Length - i);
                i += s;
                _skip -= s;
                if (_skip == 0) AfterSkip();
                continue;
            }
            _acc = (_acc << 8) | data[i++];
            if (++_have == _need) OnNumber();
        }
    }

    private void AfterSkip()
    {
        switch (_phase)
        {
            case Phase.Header: Expect(Phase.ExtensionLength, 4); break;
            case Phase.Extension: Expect(Phase.Tuple, 2); break;
            case Phase.FieldData: NextField(); break;
        }
    }

    private void NextField()
    {
        if (_fieldsLeft > 0) Expect(Phase.FieldLength, 4);
        else Expect(Phase.Tuple, 2);
    }

    private void OnNumber()
    {
        switch (_phase)
        {
            case Phase.ExtensionLength:
                _phase = Phase.Extension;
                _skip = (int)_acc;
                if (_skip == 0) AfterSkip();
                break;
            case Phase.Tuple:
                var fields = (short)(ushort)_acc;
                if (fields == -1) { _phase = Phase.Trailer; break; }
                Rows++;
                _fieldsLeft = fields;
                NextField();
                break;
            case Phase.FieldLength:
                _fieldsLeft--;
                var length = (int)_acc;
                if (length > 0) { _phase = Phase.FieldData; _skip = length; }
                else NextField();
                break;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();
}
