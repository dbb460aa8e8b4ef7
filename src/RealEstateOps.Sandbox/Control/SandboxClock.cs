namespace RealEstateOps.Sandbox.Control;

/// <summary>
/// The sandbox's clock: simulated time runs <see cref="Speed"/> times faster than real time, so that
/// transitions that take minutes on AWS (snapshot creating → available) can be rehearsed in seconds.
/// </summary>
public sealed class SandboxClock
{
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private DateTimeOffset _anchorSimulated;
    private long _anchorTimestamp;
    private double _speed;

    public SandboxClock(double speed, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _anchorSimulated = _time.GetUtcNow();
        _anchorTimestamp = _time.GetTimestamp();
        _speed = speed;
        _segments.Add((_anchorSimulated, _anchorSimulated, speed));
    }

    /// <summary>Every speed the clock has run at since it started: from which simulated time, at which real (wall-clock) time.</summary>
    private readonly List<(DateTimeOffset Simulated, DateTimeOffset Real, double Speed)> _segments = new();

    /// <summary>
    /// The real (wall-clock) time at which the clock showed <paramref name="simulated"/>, through every speed it ran at (a point-in-time
    /// restore replays the real server's WAL up to it). A time before the clock started maps to before its start, at speed 1.
    /// </summary>
    public DateTimeOffset ToRealTime(DateTimeOffset simulated)
    {
        lock (_gate)
        {
            var first = _segments[0];
            if (simulated <= first.Simulated) return first.Real - (first.Simulated - simulated);
            var segment = _segments.Last(s => s.Simulated <= simulated);
            return segment.Real + TimeSpan.FromTicks((long)((simulated - segment.Simulated).Ticks / segment.Speed));
        }
    }

    public double Speed
    {
        get { lock (_gate) return _speed; }
        set
        {
            if (value <= 0 || double.IsNaN(value)) throw new ArgumentOutOfRangeException(nameof(value), "Speed must be greater than zero.");
            lock (_gate)
            {
                _anchorSimulated = NowLocked();
                _anchorTimestamp = _time.GetTimestamp();
                _speed = value;
                _segments.Add((_anchorSimulated, _time.GetUtcNow(), value));
            }
        }
    }

    public DateTimeOffset UtcNow { get { lock (_gate) return NowLocked(); } }

    private DateTimeOffset NowLocked() =>
        _anchorSimulated + TimeSpan.FromTicks((long)(_time.GetElapsedTime(_anchorTimestamp).Ticks * _speed));

    /// <summary>Real time that a simulated duration takes at the current speed.</summary>
    public TimeSpan ToReal(TimeSpan simulated) => TimeSpan.FromTicks((long)(simulated.Ticks / Speed));

    /// <summary>Fraction (0..1) of a simulated duration that has passed since a simulated start.</summary>
    public double Progress(DateTimeOffset start, TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 1 : Math.Clamp((UtcNow - start) / duration, 0, 1);
}
