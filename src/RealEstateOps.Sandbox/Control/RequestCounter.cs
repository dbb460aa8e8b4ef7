using System.Collections.Concurrent;

namespace RealEstateOps.Sandbox.Control;

/// <summary>Counts requests per service and operation, so benchmarks can compare our request counts with peers'.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, long>> _objects = new(StringComparer.OrdinalIgnoreCase);
    private long _faults;

    public void Count(string service, string operation)
    {
        _services.AddOrUpdate(service, 1, (_, n) => n + 1);
        _operations.AddOrUpdate(service + ":" + operation, 1, (_, n) => n + 1);
    }

    /// <summary>Counts one request of an operation against a named object (evictions per pod), beside the per-operation totals.</summary>
    public void CountObject(string service, string operation, string name) =>
        _objects.GetOrAdd(service + ":" + operation, _ => new(StringComparer.Ordinal)).AddOrUpdate(name, 1, (_, n) => n + 1);

    public void CountFault() => Interlocked.Increment(ref _faults);

    public object Snapshot() => new
    {
        total = _services.Values.Sum(),
        faultsInjected = Interlocked.Read(ref _faults),
        services = new SortedDictionary<string, long>(_services),
        operations = new SortedDictionary<string, long>(_operations),
        objects = new SortedDictionary<string, SortedDictionary<string, long>>(
            _objects.ToDictionary(kv => kv.Key, kv => new SortedDictionary<string, long>(kv.Value, StringComparer.Ordinal)), StringComparer.OrdinalIgnoreCase),
    };

    public void Reset()
    {
        _services.Clear();
        _operations.Clear();
        _objects.Clear();
        Interlocked.Exchange(ref _faults, 0);
    }
}
