using System.Text.Json.Serialization;

namespace RealEstateOps.Sandbox.S3;

/// <summary>
/// An S3 fault aimed at some requests only (not an S3 API): requests for a bucket, optionally one
/// operation and a key or key prefix, wait <see cref="LatencyMs"/> before they are handled (or until the
/// client gives up). Tests use it to hold an operation at a chosen key, so that a stop lands at a known point.
/// </summary>
public sealed class S3FaultRule
{
    public string Bucket { get; set; } = "";
    /// <summary>The S3 operation (CopyObject, DeleteObjects, ...); any when null.</summary>
    public string? Operation { get; set; }
    /// <summary>Exactly this key; any when null.</summary>
    public string? Key { get; set; }
    /// <summary>Keys under this prefix; any when null.</summary>
    public string? KeyPrefix { get; set; }
    public int LatencyMs { get; set; }

    [JsonIgnore]
    public bool IsValid => Bucket.Length > 0 && LatencyMs is > 0 and <= 600_000;

    public bool Matches(string bucket, string key, string operation) =>
        string.Equals(Bucket, bucket, StringComparison.Ordinal) &&
        (Operation is null || string.Equals(Operation, operation, StringComparison.Ordinal)) &&
        (Key is null || string.Equals(Key, key, StringComparison.Ordinal)) &&
        (KeyPrefix is null || key.StartsWith(KeyPrefix, StringComparison.Ordinal));
}

public sealed class S3FaultRules
{
    private volatile S3FaultRule[] _rules = Array.Empty<S3FaultRule>();

    public IReadOnlyList<S3FaultRule> Rules => _rules;

    public void Set(IEnumerable<S3FaultRule> rules) => _rules = rules.ToArray();

    public void Clear() => _rules = Array.Empty<S3FaultRule>();

    /// <summary>The added latency for a request, zero when no rule matches.</summary>
    public TimeSpan LatencyFor(string bucket, string key, string operation)
    {
        foreach (var r in _rules)
            if (r.Matches(bucket, key, operation)) return TimeSpan.FromMilliseconds(r.LatencyMs);
        return TimeSpan.Zero;
    }
}
