using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// Guards an S3 paging loop against a server that does not make progress: a truncated page whose next
/// marker is missing or was already asked for would list the same page again forever. Such a listing
/// stops with S3PagingLoop (the same id pattern, &lt;Service&gt;PagingLoop, as the other services).
/// </summary>
internal sealed class S3Paging
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly string _operation;
    private readonly string _target;
    private int _pages;

    /// <param name="operation">The S3 operation (ListObjectsV2, ListObjectVersions).</param>
    /// <param name="target">What is listed (s3://bucket/prefix).</param>
    /// <param name="first">The marker of the first request (null or empty when none).</param>
    public S3Paging(string operation, string target, params string?[] first)
    {
        _operation = operation;
        _target = target;
        _seen.Add(Key(first));
    }

    /// <summary>Checks the markers for the next page of a truncated answer; throws S3PagingLoop when they do not advance.</summary>
    public void Next(params string?[] markers)
    {
        _pages++;
        var key = Key(markers);
        if (markers.All(string.IsNullOrEmpty) || !_seen.Add(key))
            throw new OpsException("S3PagingLoop", OpsErrorCategory.InvalidResult,
                $"S3 answered {_operation} for {_target} with a truncated page whose next marker ({Describe(markers)}) " +
                $"{(markers.All(string.IsNullOrEmpty) ? "is missing" : "was already listed")}, after {_pages} page(s): listing on would repeat the same pages forever, so it stopped. Nothing was changed on the strength of this listing.",
                _target) { RecommendedAction = "The S3 endpoint (or a proxy in front of it) returns inconsistent paging markers; check the endpoint." };
    }

    private static string Key(string?[] markers) => string.Join("\u0000", markers.Select(m => m ?? ""));

    private static string Describe(string?[] markers) => string.Join(", ", markers.Select(m => string.IsNullOrEmpty(m) ? "none" : $"'{m}'"));
}
