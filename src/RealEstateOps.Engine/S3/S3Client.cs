using System.Collections.Concurrent;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// The S3 client of one resolved target, and the funnel (<see cref="Call{T}"/>) of every S3 request. It holds
/// one SDK client per region: a bucket is always addressed in its own region (found with GetBucketLocation,
/// which S3 answers from any region), as S3 requires. Each S3Client makes its own SDK clients (with its own
/// retry policy and its own listener for retry notes) and disposes them with itself: nothing of one command's
/// client is reused by another.
/// </summary>
public sealed class S3Client : IDisposable
{
    private readonly ConcurrentDictionary<string, AmazonS3Client> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _regions = new(StringComparer.Ordinal);
    private readonly Http.RetryPolicy? _policy;
    private readonly TimeSpan? _attemptTimeout;
    private readonly IProgress<OpsEvent>? _events;
    private volatile bool _disposed;

    /// <param name="events">Where the client's notes go (a retried attempt, a bucket found in another region), as Verbose notes.</param>
    public S3Client(AwsTarget target, Http.RetryPolicy? policy = null, IProgress<OpsEvent>? events = null, TimeSpan? attemptTimeout = null)
    {
        Target = target;
        _policy = policy;
        _attemptTimeout = attemptTimeout;
        _events = events;
    }

    public AwsTarget Target { get; }

    /// <summary>The SDK client for a region (the target's own when null).</summary>
    public IAmazonS3 ForRegion(string? region = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _clients.GetOrAdd(region ?? Target.Region.Value, r =>
        {
            var target = r == Target.Region.Value ? Target : new AwsTarget(Target.Service, new(r, "the bucket's location"), Target.Endpoint, Target.Credentials, Target.CredentialSource);
            return S3ClientFactory.Create(target, _policy, OnRetry, _attemptTimeout);
        });
    }

    // Once the client is disposed (its command ended), a late retry of a request still in flight reports nowhere.
    private void OnRetry(HttpRequestMessage request, int attempt, string reason, TimeSpan delay)
    {
        if (_disposed) return;
        _events.Verbose($"S3 {request.Method} {request.RequestUri?.AbsolutePath}: attempt {attempt} failed ({reason}); retrying in {delay.TotalMilliseconds:0} ms.");
    }

    /// <summary>The region a bucket lives in; an explicit region is taken as given.</summary>
    public async Task<string> RegionOfAsync(string bucket, string? explicitRegion, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(explicitRegion)) return explicitRegion;
        if (_regions.TryGetValue(bucket, out var known)) return known;
        string region;
        try
        {
            var location = await Call(() => ForRegion().GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, ct), bucket, ct).ConfigureAwait(false);
            var value = location.Location?.Value;
            region = string.IsNullOrEmpty(value) ? "us-east-1" : value == "EU" ? "eu-west-1" : value;
            if (region != Target.Region.Value) _events.Verbose($"Bucket '{bucket}' is in region {region} (from GetBucketLocation).");
        }
        catch (OpsException ex) when (ex.ErrorId == "AccessDenied")
        {
            region = Target.Region.Value;
            _events.Verbose($"Bucket '{bucket}': GetBucketLocation was denied; using region {region}.");
        }
        _regions[bucket] = region;
        return region;
    }

    /// <summary>The client for the bucket's own region.</summary>
    public async Task<IAmazonS3> ForBucketAsync(string bucket, string? explicitRegion, CancellationToken ct) =>
        ForRegion(await RegionOfAsync(bucket, explicitRegion, ct).ConfigureAwait(false));

    /// <summary>The names of the account's buckets (ListBuckets), for completion.</summary>
    public async Task<IReadOnlyList<string>> ListBucketNamesAsync(CancellationToken ct)
    {
        var response = await Call(() => ForRegion().ListBucketsAsync(new ListBucketsRequest(), ct), "s3", ct).ConfigureAwait(false);
        return (response.Buckets ?? new List<S3Bucket>()).Select(b => b.BucketName).ToList();
    }

    /// <summary>
    /// Runs one S3 call, the funnel of every S3 request: S3's errors become OpsExceptions with the S3 error
    /// code as id; a connection refused, a name that does not resolve or a dropped connection becomes
    /// S3Unreachable (ConnectionError), no answer in time S3Timeout (OperationTimeout), the same ids as the
    /// other services' (RdsUnreachable/RdsTimeout, KubeApiUnreachable/KubeApiTimeout). The caller's own
    /// cancellation (Ctrl+C) stays an OperationCanceledException.
    /// </summary>
    public static async Task<T> Call<T>(Func<Task<T>> call, object? target, CancellationToken ct)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex) when (Transport(ex.InnerException, ct) is null)
        {
            throw AwsErrors.From(ex, target);
        }
        catch (Amazon.Runtime.AmazonServiceException ex) when (Transport(ex.InnerException, ct) is null)
        {
            throw AwsErrors.From(ex, target);
        }
        catch (Exception ex) when (Transport(ex, ct) is { } mapped)
        {
            throw mapped(target);
        }
    }

    /// <summary>The S3Unreachable/S3Timeout error for a transport failure (also when the SDK wrapped it), or null for anything else.</summary>
    private static Func<object?, OpsException>? Transport(Exception? ex, CancellationToken ct)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OperationCanceledException when ct.IsCancellationRequested:
                    return null; // Ctrl+C or the caller's own stop: not a failure of S3
                case TimeoutException:
                case OperationCanceledException { InnerException: TimeoutException }:
                case SocketException { SocketErrorCode: SocketError.TimedOut }:
                    return target => new OpsException("S3Timeout", OpsErrorCategory.OperationTimeout,
                        $"S3 did not answer in time{Where(target)}: {e.Message}", target, ex) { RecommendedAction = "Check the network path to the S3 endpoint, or try again later." };
                case HttpRequestException:
                case IOException:
                case SocketException:
                    var inner = e.InnerException is { } i && i != e ? $" ({i.Message})" : "";
                    if (e is HttpRequestException && e.InnerException is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut }) continue;
                    return target => new OpsException("S3Unreachable", OpsErrorCategory.ConnectionError,
                        $"S3 could not be reached{Where(target)}: {e.Message}{inner}", target, ex) { RecommendedAction = "Check the endpoint (-EndpointUrl or the context's s3 endpoint), the network and DNS." };
            }
        }
        return null;
    }

    private static string Where(object? target) => target is null ? "" : $" ({target})";

    public void Dispose()
    {
        _disposed = true;
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
    }
}
