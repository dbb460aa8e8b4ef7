using System.Globalization;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// Which keys an S3 operation changed, recorded as it goes (thread-safe): what a sync or restore that was
/// stopped (Ctrl+C) reports in its journal entry and on the host. A key whose request was sent but not
/// answered when the operation stopped is "in flight": S3 may or may not have applied it.
/// </summary>
public sealed class S3ChangeLog
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<string>> _done = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Requests for these keys are about to be sent.</summary>
    public void Begin(IEnumerable<string> keys)
    {
        lock (_gate)
            foreach (var k in keys) _inFlight[k] = _inFlight.GetValueOrDefault(k) + 1;
    }

    public void Begin(string key) => Begin(new[] { key });

    /// <summary>The request for the key was answered: changed with <paramref name="change"/> (e.g. "copied", "deleted"), or not at all when null.</summary>
    public void End(string key, string? change)
    {
        lock (_gate)
        {
            if (_inFlight.TryGetValue(key, out var n)) { if (n <= 1) _inFlight.Remove(key); else _inFlight[key] = n - 1; }
            if (change is null) return;
            if (!_done.TryGetValue(change, out var keys))
            {
                _done[change] = keys = new List<string>();
                _order.Add(change);
            }
            keys.Add(key);
        }
    }

    /// <summary>How many keys were changed each way, in the order the kinds first happened.</summary>
    public IReadOnlyList<(string Change, IReadOnlyList<string> Keys)> Changes
    {
        get { lock (_gate) return _order.Select(c => (c, (IReadOnlyList<string>)_done[c].ToList())).ToList(); }
    }

    public IReadOnlyList<string> InFlight
    {
        get { lock (_gate) return _inFlight.Keys.Order(StringComparer.Ordinal).ToList(); }
    }

    public int ChangedCount { get { lock (_gate) return _done.Values.Sum(v => v.Count); } }

    /// <summary>
    /// "Stopped before it finished: 3 objects copied (a, b, c); 1 object deleted (x); 1 object in flight when it
    /// stopped, which S3 may or may not have applied (k). Everything else is unchanged."
    /// The first <paramref name="maxKeys"/> keys of each kind are named.
    /// </summary>
    public string Describe(string prefix, string noun, int maxKeys = 20)
    {
        var changes = Changes;
        var inFlight = InFlight;
        string Of(int n) => $"{Count(n)} {noun}{(n == 1 ? "" : "s")}";
        var parts = changes.Select(c => $"{Of(c.Keys.Count)} {c.Change} ({Names(c.Keys, maxKeys)})").ToList();
        if (parts.Count == 0) parts.Add($"no {noun} changed");
        if (inFlight.Count > 0) parts.Add($"{Of(inFlight.Count)} in flight when it stopped, which S3 may or may not have applied ({Names(inFlight, maxKeys)})");
        return $"{prefix}: {string.Join("; ", parts)}. Everything else is unchanged.";
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Names(IReadOnlyList<string> keys, int max) =>
        string.Join(", ", keys.Take(max)) + (keys.Count > max ? $", ... and {Count(keys.Count - max)} more" : "");
}
