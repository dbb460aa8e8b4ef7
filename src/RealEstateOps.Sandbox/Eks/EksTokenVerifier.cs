using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>What became of a <c>k8s-aws-v1.</c> bearer token: the Kubernetes user it stands for, or why it was refused.</summary>
public sealed record EksTokenResult(string? User, string? AccessKeyId, string? Failure)
{
    public bool Ok => User is not null;
}

/// <summary>
/// Accepts EKS bearer tokens (<c>k8s-aws-v1.</c> + base64url of a presigned STS GetCallerIdentity URL) as EKS's authenticator
/// does, without asking STS: the URL must be a GetCallerIdentity call (Action, Version, the X-Amz-* parameters only) to an
/// STS host (sts[.region].amazonaws.com[.cn], or this sandbox's loopback endpoint), signed with SigV4 for sts by one of the
/// sandbox's AWS keys with <c>host</c> and <c>x-k8s-aws-id</c> among the signed headers; the signature is checked with
/// <c>x-k8s-aws-id</c> set to this cluster's name (a token for another cluster does not verify); it is accepted for 15
/// minutes after X-Amz-Date (EKS ignores X-Amz-Expires, which aws eks get-token sets to 60 seconds). Presigned URLs are
/// checked with the payload hash botocore presigns (UNSIGNED-PAYLOAD) and the empty body's. The full-access key maps to
/// the Kubernetes user sandbox-admin, the read-only key to sandbox-readonly (like EKS access entries).
/// Time is the real clock, never the sandbox's fast one (as for every SigV4 check).
/// </summary>
public sealed class EksTokenVerifier
{
    public const string Prefix = "k8s-aws-v1.";
    public const string ClusterHeader = "x-k8s-aws-id";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const string EmptyPayload = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static readonly HashSet<string> AllowedParameters = new(StringComparer.Ordinal)
    {
        "Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token",
    };

    private readonly SandboxSecrets _secrets;
    private readonly string _clusterName;
    private readonly TimeProvider _time;

    public EksTokenVerifier(SandboxSecrets secrets, string clusterName, TimeProvider? time = null)
    {
        _secrets = secrets;
        _clusterName = clusterName;
        _time = time ?? TimeProvider.System;
    }

    public static bool IsEksToken(string token) => token.StartsWith(Prefix, StringComparison.Ordinal);

    public EksTokenResult Verify(string token)
    {
        static EksTokenResult Refuse(string why, string? key = null) => new(null, key, why);
        if (!IsEksToken(token)) return Refuse("not a k8s-aws-v1 token");
        string url;
        try
        {
            var body = token[Prefix.Length..].Replace('-', '+').Replace('_', '/');
            if (body.Contains('=')) return Refuse("the token is padded base64 (EKS tokens are base64url without padding)");
            url = Encoding.UTF8.GetString(Convert.FromBase64String(body.PadRight(body.Length + (4 - body.Length % 4) % 4, '=')));
        }
        catch (FormatException)
        {
            return Refuse("the token is not base64url");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            return Refuse("the token does not hold an http(s) URL");
        if (!IsStsHost(uri)) return Refuse($"'{uri.Host}' is not an STS endpoint");
        if (uri.AbsolutePath != "/") return Refuse("the URL's path is not /");

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..]);
            if (!AllowedParameters.Contains(name)) return Refuse($"the URL has the parameter '{name}', which a GetCallerIdentity token does not");
            if (pairs.Any(p => p.Key == name)) return Refuse($"the URL repeats '{name}'");
            pairs.Add((name, value));
        }
        string? Param(string name) => pairs.FirstOrDefault(p => p.Key == name).Value;
        if (Param("Action") != "GetCallerIdentity") return Refuse("the URL's Action is not GetCallerIdentity");
        if (Param("Version") != "2011-06-15") return Refuse("the URL's Version is not 2011-06-15");
        if (Param("X-Amz-Algorithm") != SigV4Verifier.Algorithm) return Refuse("the URL is not presigned with AWS4-HMAC-SHA256");
        var credential = Param("X-Amz-Credential")?.Split('/');
        if (credential is not { Length: 5 } || credential[4] != "aws4_request" || credential[3] != "sts" || credential[1].Length != 8)
            return Refuse("the URL's X-Amz-Credential is not a credential scope for sts");
        var accessKey = credential[0];
        var amzDate = Param("X-Amz-Date") ?? "";
        if (!DateTimeOffset.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt) ||
            credential[1] != amzDate[..8])
            return Refuse("the URL's X-Amz-Date is missing or not the credential's date", accessKey);
        if (!int.TryParse(Param("X-Amz-Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || expires is < 1 or > 604800)
            return Refuse("the URL's X-Amz-Expires is missing or out of range", accessKey);
        var signedHeaders = (Param("X-Amz-SignedHeaders") ?? "").Split(';');
        if (!signedHeaders.Contains("host") || !signedHeaders.Contains(ClusterHeader))
            return Refuse($"the URL's signed headers do not include host and {ClusterHeader}", accessKey);
        if (signedHeaders.Any(h => h is not ("host" or ClusterHeader)))
            return Refuse("the URL signs headers other than host and " + ClusterHeader, accessKey);
        var signature = Param("X-Amz-Signature") ?? "";
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigitLower)) return Refuse("the URL's signature is not 64 lowercase hex digits", accessKey);

        var now = _time.GetUtcNow();
        if (signedAt - now > SigV4Verifier.MaxSkew) return Refuse("the token is signed in the future", accessKey);
        if (now >= signedAt + Lifetime) return Refuse($"the token expired at {(signedAt + Lifetime).UtcDateTime:u}", accessKey);

        var secret = _secrets.SecretFor(accessKey);
        if (secret is null) return Refuse($"the access key '{accessKey}' is not one of this sandbox's", accessKey);

        var query = string.Join('&', pairs.Where(p => p.Key != "X-Amz-Signature")
            .Select(p => (Key: SigV4Verifier.Encode(p.Key, false), Value: SigV4Verifier.Encode(p.Value, false)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
        var headers = string.Concat(signedHeaders.OrderBy(h => h, StringComparer.Ordinal)
            .Select(h => h + ":" + (h == "host" ? uri.Authority : _clusterName) + "\n"));
        var signedHeaderList = string.Join(';', signedHeaders);
        var scope = string.Join('/', credential[1], credential[2], "sts", "aws4_request");
        var key = SigningKey(secret, credential[1], credential[2]);
        foreach (var payload in new[] { "UNSIGNED-PAYLOAD", EmptyPayload })
        {
            var canonical = string.Join('\n', "GET", "/", query, headers, signedHeaderList, payload);
            var toSign = string.Join('\n', SigV4Verifier.Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
            var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
                return new(accessKey == _secrets.ReadOnlyAccessKeyId ? "sandbox-readonly" : "sandbox-admin", accessKey, null);
        }
        return Refuse($"the signature does not verify (forged, altered, or signed for another cluster than '{_clusterName}')", accessKey);
    }

    /// <summary>AWS's STS hosts (global, regional, FIPS, China), or this machine (the sandbox's endpoint, where a context points sts).</summary>
    private static bool IsStsHost(Uri uri)
    {
        var host = uri.Host.ToLowerInvariant();
        if (uri.IsLoopback || host == "localhost") return true;
        if (uri.Scheme != Uri.UriSchemeHttps) return false;
        return host is "sts.amazonaws.com" ||
               (host.StartsWith("sts.", StringComparison.Ordinal) || host.StartsWith("sts-fips.", StringComparison.Ordinal)) &&
               (host.EndsWith(".amazonaws.com", StringComparison.Ordinal) || host.EndsWith(".amazonaws.com.cn", StringComparison.Ordinal)) &&
               host.Split('.').Length is 4 or 5;
    }

    private static byte[] SigningKey(string secret, string date, string region)
    {
        var k = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        k = HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(region));
        k = HMACSHA256.HashData(k, "sts"u8.ToArray());
        return HMACSHA256.HashData(k, "aws4_request"u8.ToArray());
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
