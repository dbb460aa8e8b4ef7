using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Storage;

/// <summary>
/// S3 clients for one resolved target, one per region: a bucket is always addressed in its own
/// region (found with GetBucketLocation, which S3 answers from any region), as S3 requires.
/// </summary>
public sealed class S3Session : IDisposable
{
    private readonly ConcurrentDictionary<string, AmazonS3Client> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _regions = new(StringComparer.Ordinal);
    private readonly Http.RetryPolicy? _policy;

    public S3Session(AwsTarget target, Http.RetryPolicy? policy = null, Action<string>? verbose = null)
    {
        Target = target;
        _policy = policy;
        Verbose = verbose;
    }

    public AwsTarget Target { get; }
    public Action<string>? Verbose { get; }

    /// <summary>A client for a region (the target's own when null).</summary>
    public IAmazonS3 Client(string? region = null) => _clients.GetOrAdd(region ?? Target.Region.Value, r =>
    {
        var target = r == Target.Region.Value ? Target : new AwsTarget(Target.Service, new(r, "the bucket's location"), Target.Endpoint, Target.Credentials, Target.CredentialSource);
        return S3ClientFactory.Create(target, _policy, (request, attempt, reason, delay) =>
            Verbose?.Invoke($"S3 {request.Method} {request.RequestUri?.AbsolutePath}: attempt {attempt} failed ({reason}); retrying in {delay.TotalMilliseconds:0} ms."));
    });

    /// <summary>The region a bucket lives in; an explicit region is taken as given.</summary>
    public async Task<string> RegionOfAsync(string bucket, string? explicitRegion, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(explicitRegion)) return explicitRegion;
        if (_regions.TryGetValue(bucket, out var known)) return known;
        string region;
        try
        {
            var location = await Client().GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = bucket }, ct).ConfigureAwait(false);
            var value = location.Location?.Value;
            region = string.IsNullOrEmpty(value) ? "us-east-1" : value == "EU" ? "eu-west-1" : value;
            if (region != Target.Region.Value) Verbose?.Invoke($"Bucket '{bucket}' is in region {region} (from GetBucketLocation).");
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode == "AccessDenied")
        {
            region = Target.Region.Value;
            Verbose?.Invoke($"Bucket '{bucket}': GetBucketLocation was denied; using region {region}.");
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, bucket);
        }
        _regions[bucket] = region;
        return region;
    }

    /// <summary>The client for the bucket's own region.</summary>
    public async Task<IAmazonS3> ForBucketAsync(string bucket, string? explicitRegion, CancellationToken ct) =>
        Client(await RegionOfAsync(bucket, explicitRegion, ct).ConfigureAwait(false));

    /// <summary>The names of the account's buckets (ListBuckets), for completion.</summary>
    public async Task<IReadOnlyList<string>> ListBucketNamesAsync(CancellationToken ct)
    {
        var response = await Call(() => Client().ListBucketsAsync(new ListBucketsRequest(), ct), "s3").ConfigureAwait(false);
        return (response.Buckets ?? new List<S3Bucket>()).Select(b => b.BucketName).ToList();
    }

    /// <summary>Runs one S3 call; S3's errors become OpsExceptions with the S3 error code as id.</summary>
    public static async Task<T> Call<T>(Func<Task<T>> call, object? target)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception ex)
        {
            throw AwsErrors.From(ex, target);
        }
        catch (Amazon.Runtime.AmazonServiceException ex)
        {
            throw AwsErrors.From(ex, target);
        }
        catch (HttpRequestException ex)
        {
            throw new OpsException("S3ConnectionFailed", OpsErrorCategory.ConnectionError, $"S3 could not be reached: {ex.Message}", target, ex);
        }
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
    }
}
