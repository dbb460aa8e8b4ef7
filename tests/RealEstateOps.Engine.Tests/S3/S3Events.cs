using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Tests.S3;

/// <summary>
/// Records what an S3 operation reports, synchronously and thread-safe: its notes, its per-item failures
/// (OpsItemFailed) and every event; <see cref="Throwing"/> ends the operation at its first failed item instead.
/// </summary>
public sealed class S3Events : IProgress<OpsEvent>
{
    private readonly List<OpsEvent> _events = new();
    private readonly bool _throwOnFailure;
    private readonly Action<OpsEvent>? _then;

    public S3Events(Action<OpsEvent>? then = null, bool throwOnFailure = false)
    {
        _then = then;
        _throwOnFailure = throwOnFailure;
    }

    /// <summary>A listener for which any failed item is a test failure: it is thrown where the operation reports it.</summary>
    public static S3Events Throwing => new(throwOnFailure: true);

    public void Report(OpsEvent value)
    {
        lock (_events) _events.Add(value);
        if (_throwOnFailure && value is OpsItemFailed failed) throw failed.Error;
        _then?.Invoke(value);
    }

    public List<OpsEvent> All { get { lock (_events) return _events.ToList(); } }
    public List<string> Notes => All.OfType<OpsNote>().Select(n => n.Message).ToList();
    public List<OpsException> Failures => All.OfType<OpsItemFailed>().Select(f => f.Error).ToList();
}
