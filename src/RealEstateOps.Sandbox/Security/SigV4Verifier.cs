using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace RealEstateOps.Sandbox.Security;

/// <summary>Why a request's SigV4 authentication failed (each service words and codes it its own way).</summary>
public enum SigV4Failure
{
    None,
    /// <summary>No Authorization header and no presigned query: an anonymous request.</summary>
    Missing,
    /// <summary>An Authorization header or presigned query that is not a complete AWS4-HMAC-SHA256 one.</summary>
    Malformed,
    /// <summary>No (valid) X-Amz-Date or Date.</summary>
    MissingDate,
    UnknownAccessKey,
    /// <summary>The request's time is more than 15 minutes from the real clock.</summary>
    Skewed,
    /// <summary>A presigned URL past its X-Amz-Expires.</summary>
    Expired,
    SignatureMismatch,
}

/// <summary>The credential scope: access key id / date / region / service / aws4_request.</summary>
public sealed record SigV4Credential(string AccessKeyId, string Date, string Region, string Service);

public sealed record SigV4Result(SigV4Failure Failure, string Message, SigV4Credential? Credential = null, string? CanonicalRequest = null, string? StringToSign = null)
{
    public bool Ok => Failure == SigV4Failure.None;
}

/// <summary>
/// Verifies AWS Signature Version 4 (Authorization header, or an S3 presigned query) against the
/// sandbox's own keys, as AWS does: the canonical request (S3: the path as sent, encoded once; other
/// services: the normalised path encoded again; the query sorted by encoded name then value; the signed
/// headers with trimmed values; the payload hash: S3's x-amz-content-sha256, UNSIGNED-PAYLOAD and the
/// STREAMING-* seeds included, else the SHA-256 of the buffered body), the string to sign, the key
/// derived from the secret, date, region and service, and a constant-time comparison. The request
/// time must be within 15 minutes of the real clock (never the sandbox's fast clock). Chunk
/// signatures of aws-chunked bodies are not checked (the seed signature covers the headers).
/// </summary>
public sealed class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(15);
    /// <summary>Bodies hashed for the signature (RDS's forms) are buffered up to this size.</summary>
    public const int MaxHashedBody = 4 * 1024 * 1024;
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    private readonly Func<string, string?> _secretFor;
    private readonly TimeProvider _time;

    public SigV4Verifier(Func<string, string?> secretFor, TimeProvider? time = null)
    {
        _secretFor = secretFor;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The credential scope a request names (header or presigned query), without checking anything else.</summary>
    public static SigV4Credential? CredentialOf(HttpRequest request)
    {
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            return ParseAuthorization(auth) is { } a ? ParseCredential(a.GetValueOrDefault("Credential")) : null;
        return request.Query.TryGetValue("X-Amz-Credential", out var q) ? ParseCredential(q.ToString()) : null;
    }

    public async Task<SigV4Result> VerifyAsync(HttpRequest request, CancellationToken ct)
    {
        var auth = request.Headers.Authorization.ToString();
        var presigned = auth.Length == 0 && (request.Query.ContainsKey("X-Amz-Credential") || request.Query.ContainsKey("X-Amz-Signature") || request.Query.ContainsKey("X-Amz-Algorithm"));
        string? credentialText, signedHeadersText, signature, amzDate;
        if (auth.Length == 0 && !presigned) return new(SigV4Failure.Missing, "The request is not signed: it has no Authorization header.");
        if (!presigned)
        {
            if (!auth.StartsWith(Algorithm + " ", StringComparison.Ordinal))
                return new(SigV4Failure.Malformed, $"Unsupported Authorization type: only {Algorithm} (Signature Version 4) is accepted.");
            var parts = ParseAuthorization(auth);
            if (parts is null) return new(SigV4Failure.Malformed, $"The Authorization header is not of the form '{Algorithm} Credential=..., SignedHeaders=..., Signature=...'.");
            foreach (var name in new[] { "Credential", "SignedHeaders", "Signature" })
                if (!parts.ContainsKey(name)) return new(SigV4Failure.Malformed, $"Authorization header requires '{name}' parameter.");
            credentialText = parts["Credential"];
            signedHeadersText = parts["SignedHeaders"];
            signature = parts["Signature"];
            amzDate = request.Headers["x-amz-date"].ToString();
            if (amzDate.Length == 0 && request.Headers.Date.ToString() is { Length: > 0 } httpDate &&
                DateTimeOffset.TryParseExact(httpDate, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                amzDate = parsed.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        }
        else
        {
            var q = request.Query;
            if (q["X-Amz-Algorithm"].ToString() != Algorithm) return new(SigV4Failure.Malformed, $"X-Amz-Algorithm only supports \"{Algorithm}\".");
            foreach (var name in new[] { "X-Amz-Credential", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Date" })
                if (string.IsNullOrEmpty(q[name].ToString())) return new(SigV4Failure.Malformed, $"Query-string authentication requires the {name} parameter.");
            credentialText = q["X-Amz-Credential"].ToString();
            signedHeadersText = q["X-Amz-SignedHeaders"].ToString();
            signature = q["X-Amz-Signature"].ToString();
            amzDate = q["X-Amz-Date"].ToString();
        }

        var credential = ParseCredential(credentialText);
        if (credential is null)
            return new(SigV4Failure.Malformed, $"The credential '{Shorten(credentialText)}' is not of the form ACCESS-KEY-ID/YYYYMMDD/REGION/SERVICE/aws4_request.");
        var signedHeaders = signedHeadersText.Split(';');
        if (signedHeaders.Any(h => h.Length == 0 || h != h.ToLowerInvariant()) || !signedHeaders.Contains("host"))
            return new(SigV4Failure.Malformed, "SignedHeaders must be lowercase header names separated by ';' and must include 'host'.", credential);
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigitLower))
            return new(SigV4Failure.Malformed, "The signature must be 64 lowercase hexadecimal digits.", credential);
        if (!DateTimeOffset.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return new(SigV4Failure.MissingDate, "AWS authentication requires a valid Date or x-amz-date header.", credential);
        if (credential.Date != amzDate[..8])
            return new(SigV4Failure.Malformed, $"Invalid credential date '{credential.Date}': it is not the date of X-Amz-Date ({amzDate[..8]}).", credential);

        var now = _time.GetUtcNow();
        if (presigned)
        {
            if (!int.TryParse(request.Query["X-Amz-Expires"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires is < 1 or > 604800)
                return new(SigV4Failure.Malformed, "X-Amz-Expires must be a number of seconds from 1 to 604800.", credential);
            if (time - now > MaxSkew) return new(SigV4Failure.Skewed, "Request is not yet valid.", credential);
            if (now > time.AddSeconds(expires)) return new(SigV4Failure.Expired, "Request has expired.", credential);
        }
        else if ((now - time).Duration() > MaxSkew)
        {
            return new(SigV4Failure.Skewed,
                $"The difference between the request time ({amzDate}) and the current time ({now.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture)}) is too large (more than 15 minutes).", credential);
        }

        var secret = _secretFor(credential.AccessKeyId);
        if (secret is null)
            return new(SigV4Failure.UnknownAccessKey, $"The AWS Access Key Id '{credential.AccessKeyId}' does not exist in this sandbox's records.", credential);

        var s3 = credential.Service == "s3";
        var payload = await PayloadHashAsync(request, s3, presigned, ct);
        if (payload is null)
            return new(SigV4Failure.Malformed, $"The request body is larger than {MaxHashedBody} bytes and cannot be hashed for the signature.", credential);

        var scope = $"{credential.Date}/{credential.Region}/{credential.Service}/aws4_request";
        var key = SigningKey(secret, credential);
        var headers = CanonicalHeaders(request, signedHeaders);
        string? firstCanonical = null, firstToSign = null;
        foreach (var uri in CanonicalUris(request, s3))
        foreach (var query in CanonicalQueries(request, presigned))
        {
            var canonical = string.Join('\n', request.Method, uri, query, headers, signedHeadersText, payload);
            var toSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
            firstCanonical ??= canonical;
            firstToSign ??= toSign;
            var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
                return new(SigV4Failure.None, "", credential);
        }
        return new(SigV4Failure.SignatureMismatch,
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.", credential, firstCanonical, firstToSign);
    }

    // ------------------------------------------------------------------ parts of the canonical request

    private static Dictionary<string, string>? ParseAuthorization(string auth)
    {
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var piece in auth[(Algorithm.Length + 1)..].Split(','))
        {
            var p = piece.Trim();
            if (p.Length == 0) continue;
            var eq = p.IndexOf('=');
            if (eq <= 0) return null;
            parts[p[..eq].Trim()] = p[(eq + 1)..].Trim();
        }
        return parts;
    }

    private static SigV4Credential? ParseCredential(string? text)
    {
        var parts = text?.Split('/');
        if (parts is not { Length: 5 } || parts[4] != "aws4_request" || parts.Take(4).Any(p => p.Length == 0)) return null;
        if (parts[1].Length != 8 || !parts[1].All(char.IsAsciiDigit)) return null;
        return new SigV4Credential(parts[0], parts[1], parts[2], parts[3]);
    }

    private static async Task<string?> PayloadHashAsync(HttpRequest request, bool s3, bool presigned, CancellationToken ct)
    {
        if (s3)
        {
            if (request.Headers["x-amz-content-sha256"].ToString() is { Length: > 0 } declared) return declared;
            if (presigned) return "UNSIGNED-PAYLOAD";
        }
        // The body itself: buffered so the service can read it again.
        if (request.ContentLength is > MaxHashedBody) return null;
        request.EnableBuffering(MaxHashedBody);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > MaxHashedBody) return null;
            sha.AppendData(buffer, 0, read);
        }
        request.Body.Position = 0;
        return Hex(sha.GetHashAndReset());
    }

    private static string CanonicalHeaders(HttpRequest request, IEnumerable<string> signedHeaders)
    {
        var sb = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            var values = request.Headers.TryGetValue(name, out var v) ? v.Select(x => CollapseSpaces(x ?? "")) : Enumerable.Empty<string>();
            sb.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }
        return sb.ToString();
    }

    private static string CollapseSpaces(string value) =>
        string.Join(' ', value.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));

    private static string RawTarget(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/') raw = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        return raw;
    }

    /// <summary>The canonical URI: as the path was sent, and re-encoded from its decoded form (clients differ in what they leave unencoded).</summary>
    private static IEnumerable<string> CanonicalUris(HttpRequest request, bool s3)
    {
        var raw = RawTarget(request);
        var q = raw.IndexOf('?');
        var path = q >= 0 ? raw[..q] : raw;
        if (path.Length == 0) path = "/";
        var candidates = new List<string>();
        if (s3)
        {
            candidates.Add(path);
            candidates.Add(Encode(Uri.UnescapeDataString(path), keepSlash: true));
        }
        else
        {
            var normalized = Normalize(path);
            candidates.Add(Encode(normalized, keepSlash: true)); // encoded twice: the path as sent, encoded again
            candidates.Add(Encode(Encode(Uri.UnescapeDataString(normalized), keepSlash: true), keepSlash: true));
            candidates.Add(normalized);
        }
        return candidates.Distinct(StringComparer.Ordinal);
    }

    /// <summary>Dot segments removed and repeated slashes collapsed, as AWS normalises non-S3 paths.</summary>
    private static string Normalize(string path)
    {
        var output = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..") { if (output.Count > 0) output.RemoveAt(output.Count - 1); continue; }
            output.Add(segment);
        }
        var result = "/" + string.Join('/', output);
        if (path.EndsWith('/') && result.Length > 1) result += "/";
        return result;
    }

    /// <summary>The canonical query: pairs sorted by encoded name then value; X-Amz-Signature left out of a presigned one.</summary>
    private static IEnumerable<string> CanonicalQueries(HttpRequest request, bool presigned)
    {
        var raw = RawTarget(request);
        var q = raw.IndexOf('?');
        var query = q >= 0 ? raw[(q + 1)..] : "";
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => { var eq = p.IndexOf('='); return eq < 0 ? (Key: p, Value: "") : (Key: p[..eq], Value: p[(eq + 1)..]); })
            .Where(p => !(presigned && p.Key == "X-Amz-Signature"))
            .ToList();
        string Join(IEnumerable<(string Key, string Value)> items) =>
            string.Join('&', items.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        var candidates = new List<string>
        {
            Join(pairs.Select(p => (Encode(Uri.UnescapeDataString(p.Key), false), Encode(Uri.UnescapeDataString(p.Value), false)))),
            Join(pairs), // as sent (botocore signs the query string it sends, sorted)
        };
        if (query.Contains('+'))
            candidates.Add(Join(pairs.Select(p => (Encode(Uri.UnescapeDataString(p.Key.Replace('+', ' ')), false), Encode(Uri.UnescapeDataString(p.Value.Replace('+', ' ')), false)))));
        return candidates.Distinct(StringComparer.Ordinal);
    }

    /// <summary>RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else %XX (upper case) of its UTF-8 bytes.</summary>
    public static string Encode(string value, bool keepSlash)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~' || (keepSlash && c == '/')) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static byte[] SigningKey(string secret, SigV4Credential c)
    {
        var date = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(c.Date));
        var region = HMACSHA256.HashData(date, Encoding.UTF8.GetBytes(c.Region));
        var service = HMACSHA256.HashData(region, Encoding.UTF8.GetBytes(c.Service));
        return HMACSHA256.HashData(service, "aws4_request"u8.ToArray());
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static string Shorten(string? s) => s is null ? "" : s.Length > 120 ? s[..120] + "..." : s;
}
