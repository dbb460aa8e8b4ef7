using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace RealEstateOps.Sandbox.Control;

/// <summary>One kind of injected error: HTTP status and the service's error code.</summary>
public sealed record FaultKind(int Status, string Code);

/// <summary>Faults for one service (or for all, as the global default).</summary>
public sealed class FaultSettings
{
    /// <summary>Share of requests answered with an error, 0 to 1.</summary>
    public double ErrorRate { get; set; }
    /// <summary>Errors to choose from; empty means the service's own throttling error, 503 and 500.</summary>
    public List<FaultKind> Errors { get; set; } = new();
    /// <summary>Latency added to every request, in milliseconds.</summary>
    public int LatencyMs { get; set; }
    /// <summary>Share of requests whose connection is dropped without an answer, 0 to 1.</summary>
    public double DropRate { get; set; }

    [JsonIgnore]
    public bool IsQuiet => ErrorRate <= 0 && LatencyMs <= 0 && DropRate <= 0;

    public void Validate()
    {
        if (ErrorRate is < 0 or > 1 || double.IsNaN(ErrorRate)) throw new ArgumentException("errorRate must be between 0 and 1.");
        if (DropRate is < 0 or > 1 || double.IsNaN(DropRate)) throw new ArgumentException("dropRate must be between 0 and 1.");
        if (LatencyMs is < 0 or > 600_000) throw new ArgumentException("latencyMs must be between 0 and 600000.");
        foreach (var e in Errors)
            if (e.Status is < 400 or > 599 || string.IsNullOrWhiteSpace(e.Code)) throw new ArgumentException($"error {e.Status} {e.Code}: status must be 4xx or 5xx with a code.");
    }
}

public enum FaultAction { None, Error, Drop }

public readonly record struct FaultDecision(FaultAction Action, TimeSpan Latency, FaultKind? Error);

/// <summary>Fault injection per service: error rate by status and code, added latency, dropped connections.</summary>
public sealed class FaultInjector
{
    public const string AllServices = "*";
    private readonly ConcurrentDictionary<string, FaultSettings> _byService = new(StringComparer.OrdinalIgnoreCase);
    private readonly Random _random;

    public FaultInjector(double globalErrorRate = 0, int? seed = null)
    {
        _random = seed is { } s ? new Random(s) : Random.Shared;
        if (globalErrorRate > 0) _byService[AllServices] = new FaultSettings { ErrorRate = globalErrorRate };
    }

    public FaultSettings For(string service) =>
        _byService.TryGetValue(service, out var own) ? own :
        _byService.TryGetValue(AllServices, out var all) ? all : new FaultSettings();

    public void Set(string service, FaultSettings settings)
    {
        settings.Validate();
        _byService[service] = settings;
    }

    public void Reset() => _byService.Clear();

    public IReadOnlyDictionary<string, FaultSettings> All => new SortedDictionary<string, FaultSettings>(_byService);

    public FaultDecision Decide(string service, FaultKind throttle)
    {
        var f = For(service);
        if (f.IsQuiet) return default;
        var latency = TimeSpan.FromMilliseconds(f.LatencyMs);
        double roll;
        lock (_random) roll = _random.NextDouble();
        if (roll < f.DropRate) return new(FaultAction.Drop, latency, null);
        if (roll < f.DropRate + f.ErrorRate)
        {
            var choices = f.Errors.Count > 0 ? f.Errors : new List<FaultKind> { throttle, new(503, "ServiceUnavailable"), new(500, "InternalError") };
            int pick;
            lock (_random) pick = _random.Next(choices.Count);
            return new(FaultAction.Error, latency, choices[pick]);
        }
        return new(FaultAction.None, latency, null);
    }
}
