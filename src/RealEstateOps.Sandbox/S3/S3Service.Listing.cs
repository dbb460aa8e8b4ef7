using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace RealEstateOps.Sandbox.S3;

public sealed partial class S3Service
{
    private const string Top = "\uFFFF\uFFFF\uFFFF\uFFFF";

    /// <summary>Keys in order from <paramref name="from"/> (inclusive) that start with <paramref name="prefix"/>; call under the bucket's lock.</summary>
    private static IEnumerable<string> KeysFrom(S3Bucket bucket, string prefix, string from)
    {
        var lower = string.CompareOrdinal(from, prefix) > 0 ? from : prefix;
        var upper = prefix + Top;
        if (string.CompareOrdinal(lower, upper) > 0) return Array.Empty<string>();
        return bucket.KeyOrder.GetViewBetween(lower, upper).Where(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static int MaxKeys(S3Request r)
    {
        if (r.Q("max-keys") is not { } text) return 1000;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new S3Exception(400, "InvalidArgument", "Provided max-keys not an integer or within integer range") { Extra = { ["ArgumentName"] = "max-keys", ["ArgumentValue"] = text } };
        return Math.Min(n, 1000);
    }

    private static Func<string?, string?> Encoder(S3Request r)
    {
        var type = r.Q("encoding-type");
        if (type is null) return s => s;
        if (type != "url") throw new S3Exception(400, "InvalidArgument", "Invalid Encoding Method specified in Request") { Extra = { ["ArgumentName"] = "encoding-type", ["ArgumentValue"] = type } };
        return s => s is null ? null : Uri.EscapeDataString(s).Replace("%2F", "/").Replace("%20", "+");
    }

    /// <summary>The common prefix a key rolls up into under the delimiter, or null.</summary>
    private static string? CommonPrefix(string key, string prefix, string? delimiter)
    {
        if (string.IsNullOrEmpty(delimiter)) return null;
        var i = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return i < 0 ? null : key[..(i + delimiter.Length)];
    }

    private async Task ListObjectsV2Async(S3Request r)
    {
        var bucket = BucketOf(r);
        var prefix = r.Q("prefix") ?? "";
        var delimiter = r.Q("delimiter");
        var maxKeys = MaxKeys(r);
        var enc = Encoder(r);
        var token = r.Q("continuation-token");
        var startAfter = r.Q("start-after");
        string after = startAfter ?? "";
        if (token is not null)
        {
            try { after = Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
            catch (FormatException) { throw new S3Exception(400, "InvalidArgument", "The continuation token provided is incorrect") { Extra = { ["ArgumentName"] = "continuation-token" } }; }
        }
        var (contents, prefixes, truncated, last) = Page(bucket, prefix, delimiter, maxKeys, after);
        var result = X("ListBucketResult", X("Name", bucket.Name), X("Prefix", enc(prefix)), X("KeyCount", contents.Count + prefixes.Count), X("MaxKeys", maxKeys),
            delimiter is null ? null : X("Delimiter", enc(delimiter)), X("IsTruncated", truncated ? "true" : "false"),
            token is null ? null : X("ContinuationToken", token),
            truncated ? X("NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(last!))) : null,
            startAfter is null ? null : X("StartAfter", enc(startAfter)),
            r.Q("encoding-type") is { } et ? X("EncodingType", et) : null);
        AddContents(result, contents, enc, r.Q("fetch-owner") == "true");
        foreach (var p in prefixes) result.Add(X("CommonPrefixes", X("Prefix", enc(p))));
        await WriteXmlAsync(r, result);
    }

    private async Task ListObjectsV1Async(S3Request r)
    {
        var bucket = BucketOf(r);
        var prefix = r.Q("prefix") ?? "";
        var delimiter = r.Q("delimiter");
        var maxKeys = MaxKeys(r);
        var enc = Encoder(r);
        var marker = r.Q("marker") ?? "";
        var (contents, prefixes, truncated, last) = Page(bucket, prefix, delimiter, maxKeys, marker);
        var result = X("ListBucketResult", X("Name", bucket.Name), X("Prefix", enc(prefix)), X("Marker", enc(marker)), X("MaxKeys", maxKeys),
            delimiter is null ? null : X("Delimiter", enc(delimiter)), X("IsTruncated", truncated ? "true" : "false"),
            truncated && delimiter is not null ? X("NextMarker", enc(last)) : null,
            r.Q("encoding-type") is { } et ? X("EncodingType", et) : null);
        AddContents(result, contents, enc, owner: true);
        foreach (var p in prefixes) result.Add(X("CommonPrefixes", X("Prefix", enc(p))));
        await WriteXmlAsync(r, result);
    }

    private static void AddContents(XElement result, List<S3ObjectVersion> contents, Func<string?, string?> enc, bool owner)
    {
        foreach (var v in contents)
            result.Add(X("Contents", X("Key", enc(v.Key)), X("LastModified", Iso(v.LastModified)), X("ETag", Quoted(v.ETag)),
                v.ChecksumAlgorithm is null ? null : X("ChecksumAlgorithm", v.ChecksumAlgorithm), v.ChecksumAlgorithm is null ? null : X("ChecksumType", "FULL_OBJECT"),
                X("Size", v.Size), owner ? X("Owner", X("ID", "sandbox-owner"), X("DisplayName", "sandbox")) : null, X("StorageClass", v.StorageClass)));
    }

    /// <summary>One page of current objects after <paramref name="after"/> (exclusive; a common prefix there skips its keys).</summary>
    private static (List<S3ObjectVersion> Contents, List<string> Prefixes, bool Truncated, string? Last) Page(S3Bucket bucket, string prefix, string? delimiter, int maxKeys, string after)
    {
        var contents = new List<S3ObjectVersion>();
        var prefixes = new List<string>();
        string? last = null;
        var truncated = false;
        lock (bucket.Gate)
        {
            foreach (var key in KeysFrom(bucket, prefix, after))
            {
                if (after.Length > 0 && (key == after || (!string.IsNullOrEmpty(delimiter) && after.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(after, StringComparison.Ordinal)))) continue;
                var current = bucket.Keys[key].Current;
                if (current is null || current.IsDeleteMarker) continue;
                var cp = CommonPrefix(key, prefix, delimiter);
                if (cp is not null && prefixes.Count > 0 && prefixes[^1] == cp) continue;
                if (contents.Count + prefixes.Count >= maxKeys) { truncated = true; break; }
                if (cp is not null) { prefixes.Add(cp); last = cp; }
                else { contents.Add(current); last = key; }
            }
        }
        return (contents, prefixes, truncated, last);
    }

    private async Task ListObjectVersionsAsync(S3Request r)
    {
        var bucket = BucketOf(r);
        var prefix = r.Q("prefix") ?? "";
        var delimiter = r.Q("delimiter");
        var maxKeys = MaxKeys(r);
        var enc = Encoder(r);
        var keyMarker = r.Q("key-marker") ?? "";
        var versionMarker = r.Q("version-id-marker");
        if (!string.IsNullOrEmpty(versionMarker) && keyMarker.Length == 0)
            throw new S3Exception(400, "InvalidArgument", "A version-id marker cannot be specified without a key marker.") { Extra = { ["ArgumentName"] = "version-id-marker" } };

        var entries = new List<XElement>();
        var prefixes = new List<string>();
        string? nextKey = null, nextVersion = null;
        var truncated = false;
        var count = 0;
        lock (bucket.Gate)
        {
            foreach (var key in KeysFrom(bucket, prefix, keyMarker))
            {
                var cp = CommonPrefix(key, prefix, delimiter);
                if (keyMarker.Length > 0)
                {
                    if (key == keyMarker && string.IsNullOrEmpty(versionMarker)) continue;
                    if (!string.IsNullOrEmpty(delimiter) && keyMarker.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(keyMarker, StringComparison.Ordinal) && cp == keyMarker) continue;
                }
                if (cp is not null)
                {
                    if (prefixes.Count > 0 && prefixes[^1] == cp) continue;
                    if (count >= maxKeys) { truncated = true; break; }
                    prefixes.Add(cp);
                    count++;
                    nextKey = cp;
                    nextVersion = null;
                    continue;
                }
                var versions = bucket.Keys[key].Versions;
                var start = 0;
                if (key == keyMarker && !string.IsNullOrEmpty(versionMarker))
                {
                    var at = versions.FindIndex(v => v.VersionId == versionMarker);
                    start = at < 0 ? versions.Count : at + 1;
                }
                for (var i = start; i < versions.Count; i++)
                {
                    if (count >= maxKeys) { truncated = true; break; }
                    var v = versions[i];
                    var owner = X("Owner", X("ID", "sandbox-owner"), X("DisplayName", "sandbox"));
                    entries.Add(v.IsDeleteMarker
                        ? X("DeleteMarker", owner, X("Key", enc(v.Key)), X("VersionId", v.VersionId), X("IsLatest", i == 0 ? "true" : "false"), X("LastModified", Iso(v.LastModified)))
                        : X("Version", X("ETag", Quoted(v.ETag)), v.ChecksumAlgorithm is null ? null : X("ChecksumAlgorithm", v.ChecksumAlgorithm),
                            v.ChecksumAlgorithm is null ? null : X("ChecksumType", "FULL_OBJECT"), X("Size", v.Size),
                            X("StorageClass", v.StorageClass), X("Key", enc(v.Key)), X("VersionId", v.VersionId), X("IsLatest", i == 0 ? "true" : "false"),
                            X("LastModified", Iso(v.LastModified)), owner));
                    count++;
                    nextKey = key;
                    nextVersion = v.VersionId;
                }
                if (truncated) break;
            }
        }
        var result = X("ListVersionsResult", X("Name", bucket.Name), X("Prefix", enc(prefix)), X("KeyMarker", enc(keyMarker)), X("VersionIdMarker", versionMarker ?? ""),
            truncated ? X("NextKeyMarker", enc(nextKey)) : null, truncated && nextVersion is not null ? X("NextVersionIdMarker", nextVersion) : null,
            X("MaxKeys", maxKeys), delimiter is null ? null : X("Delimiter", enc(delimiter)), X("IsTruncated", truncated ? "true" : "false"),
            r.Q("encoding-type") is { } et ? X("EncodingType", et) : null);
        result.Add(entries);
        foreach (var p in prefixes) result.Add(X("CommonPrefixes", X("Prefix", enc(p))));
        await WriteXmlAsync(r, result);
    }
}
