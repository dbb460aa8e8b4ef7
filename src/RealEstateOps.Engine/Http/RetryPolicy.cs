namespace RealEstateOps.Engine.Http;

/// <summary>How many times and how long to retry: capped exponential backoff with full jitter.</summary>
public sealed class RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    public int MaxAttempts { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Largest streamed request body buffered so that it can be sent again (S3 parts are 5 to 64 MiB).</summary>
    public long MaxReplayBufferBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Error codes that mean "slow down" whatever the HTTP status (AWS services put them in 400 bodies).</summary>
    public static IReadOnlySet<string> ThrottlingCodes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    /// <summary>The delay before attempt <paramref name="attempt"/> (1 = first retry): random in [0, min(cap, base·2^(attempt-1))].</summary>
    public TimeSpan Backoff(int attempt, Random? random = null)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds((random ?? Random.Shared).NextDouble() * ceiling);
    }
}
