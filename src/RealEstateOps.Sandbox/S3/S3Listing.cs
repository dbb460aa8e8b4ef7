using System.Globalization;
using System.Text;
using System.Xml.Linq;
using static RealEstateOps.Sandbox.S3.S3Xml;

namespace RealEstateOps.Sandbox.S3;

/// <summary>Listings: objects (V1 and V2, with delimiters, markers and continuation tokens) and object versions, paged as S3 pages them.</summary>
public sealed class S3Listing
{
    private readonly S3Store _store;

    public S3Listing(S3Store store) => _store = store;

    private volatile int _versionOrder = (int)S3VersionOrder.Interleaved;

    /// <summary>How ListObjectVersions orders a page's versions and delete markers (S3's own order unless a test asks for another).</summary>
    public S3VersionOrder VersionOrder
    {
        get => (S3VersionOrder)_versionOrder;
        set => _versionOrder = (int)value;
    }

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
        if (r.QueryValue("max-keys") is not { } text) return 1000;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new S3Exception(400, "InvalidArgument", "Provided max-keys not an integer or within integer range") { Extra = { ["ArgumentName"] = "max-keys", ["ArgumentValue"] = text } };
        return Math.Min(n, 1000);
    }

    private static Func<string?, string?> Encoder(S3Request r)
    {
        var type = r.QueryValue("encoding-type");
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

    public async Task ListObjectsV2Async(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var prefix = r.QueryValue("prefix") ?? "";
        var delimiter = r.QueryValue("delimiter");
        var maxKeys = MaxKeys(r);
        var enc = Encoder(r);
        var token = r.QueryValue("continuation-token");
        var startAfter = r.QueryValue("start-after");
        string after = startAfter ?? "";
        if (token is not null)
        {
            try { after = Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
            catch (FormatException) { throw new S3Exception(400, "InvalidArgument", "The continuation token provided is incorrect") { Extra = { ["ArgumentName"] = "continuation-token" } }; }
        }
        var (contents, prefixes, truncated, last) = Page(bucket, prefix, delimiter, maxKeys, after);
        var result = Element("ListBucketResult", Element("Name", bucket.Name), Element("Prefix", enc(prefix)), Element("KeyCount", contents.Count + prefixes.Count), Element("MaxKeys", maxKeys),
            delimiter is null ? null : Element("Delimiter", enc(delimiter)), Element("IsTruncated", truncated ? "true" : "false"),
            token is null ? null : Element("ContinuationToken", token),
            truncated ? Element("NextContinuationToken", Convert.ToBase64String(Encoding.UTF8.GetBytes(last!))) : null,
            startAfter is null ? null : Element("StartAfter", enc(startAfter)),
            r.QueryValue("encoding-type") is { } et ? Element("EncodingType", et) : null);
        AddContents(result, contents, enc, r.QueryValue("fetch-owner") == "true");
        foreach (var p in prefixes) result.Add(Element("CommonPrefixes", Element("Prefix", enc(p))));
        await WriteAsync(r, result);
    }

    public async Task ListObjectsV1Async(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var prefix = r.QueryValue("prefix") ?? "";
        var delimiter = r.QueryValue("delimiter");
        var maxKeys = MaxKeys(r);
        var enc = Encoder(r);
        var marker = r.QueryValue("marker") ?? "";
        var (contents, prefixes, truncated, last) = Page(bucket, prefix, delimiter, maxKeys, marker);
        var result = Element("ListBucketResult", Element("Name", bucket.Name), Element("Prefix", enc(prefix)), Element("Marker", enc(marker)), Element("MaxKeys", maxKeys),
            delimiter is null ? null : Element("Delimiter", enc(delimiter)), Element("IsTruncated", truncated ? "true" : "false"),
            truncated && delimiter is not null ? Element("NextMarker", enc(last)) : null,
            r.QueryValue("encoding-type") is { } et ? Element("EncodingType", et) : null);
        AddContents(result, contents, enc, owner: true);
        foreach (var p in prefixes) result.Add(Element("CommonPrefixes", Element("Prefix", enc(p))));
        await WriteAsync(r, result);
    }

    private static void AddContents(XElement result, List<S3ObjectVersion> contents, Func<string?, string?> enc, bool owner)
    {
        foreach (var v in contents)
            result.Add(Element("Contents", Element("Key", enc(v.Key)), Element("LastModified", Iso(v.LastModified)), Element("ETag", Quoted(v.ETag)),
                v.ChecksumAlgorithm is null ? null : Element("ChecksumAlgorithm", v.ChecksumAlgorithm), v.ChecksumAlgorithm is null ? null : Element("ChecksumType", "FULL_OBJECT"),
                Element("Size", v.Size), owner ? Owner() : null, Element("StorageClass", v.StorageClass)));
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

    public async Task ListObjectVersionsAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var prefix = r.QueryValue("prefix") ?? "";
        var delimiter = r.QueryValue("delimiter");
        var maxKeys = MaxKeys(r);
        var enc = Encoder(r);
        var keyMarker = r.QueryValue("key-marker") ?? "";
        var versionMarker = r.QueryValue("version-id-marker");
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
                    var owner = Owner();
                    entries.Add(v.IsDeleteMarker
                        ? Element("DeleteMarker", owner, Element("Key", enc(v.Key)), Element("VersionId", v.VersionId), Element("IsLatest", i == 0 ? "true" : "false"), Element("LastModified", Iso(v.LastModified)))
                        : Element("Version", Element("ETag", Quoted(v.ETag)), v.ChecksumAlgorithm is null ? null : Element("ChecksumAlgorithm", v.ChecksumAlgorithm),
                            v.ChecksumAlgorithm is null ? null : Element("ChecksumType", "FULL_OBJECT"), Element("Size", v.Size),
                            Element("StorageClass", v.StorageClass), Element("Key", enc(v.Key)), Element("VersionId", v.VersionId), Element("IsLatest", i == 0 ? "true" : "false"),
                            Element("LastModified", Iso(v.LastModified)), owner));
                    count++;
                    nextKey = key;
                    nextVersion = v.VersionId;
                }
                if (truncated) break;
            }
        }
        var result = Element("ListVersionsResult", Element("Name", bucket.Name), Element("Prefix", enc(prefix)), Element("KeyMarker", enc(keyMarker)), Element("VersionIdMarker", versionMarker ?? ""),
            truncated ? Element("NextKeyMarker", enc(nextKey)) : null, truncated && nextVersion is not null ? Element("NextVersionIdMarker", nextVersion) : null,
            Element("MaxKeys", maxKeys), delimiter is null ? null : Element("Delimiter", enc(delimiter)), Element("IsTruncated", truncated ? "true" : "false"),
            r.QueryValue("encoding-type") is { } et ? Element("EncodingType", et) : null);
        result.Add(VersionOrder == S3VersionOrder.VersionsFirst
            ? entries.Where(e => e.Name.LocalName == "Version").Concat(entries.Where(e => e.Name.LocalName == "DeleteMarker"))
            : entries);
        foreach (var p in prefixes) result.Add(Element("CommonPrefixes", Element("Prefix", enc(p))));
        await WriteAsync(r, result);
    }
}
