using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// Mints EKS bearer tokens in-process (no aws CLI): AWSSDK.Core's SigV4 presigning of
/// <c>GET {sts}/?Action=GetCallerIdentity&amp;Version=2011-06-15</c> with <c>X-Amz-Expires=60</c> and the signed header
/// <c>x-k8s-aws-id: &lt;cluster&gt;</c>, for the service <c>sts</c> in the target's region, at the target's STS endpoint
/// (the context's Endpoints["sts"] when set, else <c>https://sts.&lt;region&gt;.amazonaws.com</c>). Nothing is sent anywhere.
/// </summary>
public sealed class EksTokenMinter
{
    /// <summary>X-Amz-Expires of the presigned URL, as aws eks get-token signs it.</summary>
    public static readonly TimeSpan PresignExpiry = TimeSpan.FromSeconds(60);
    private const string Query = "Action=GetCallerIdentity&Version=2011-06-15";

    private readonly AwsTarget _sts;
    private readonly TimeProvider _time;

    public EksTokenMinter(AwsTarget sts, TimeProvider? time = null)
    {
        if (!string.Equals(sts.Service, "sts", StringComparison.Ordinal))
            throw new ArgumentException($"An EKS token is signed for sts, not '{sts.Service}'.", nameof(sts));
        _sts = sts;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the presigned request points (the STS endpoint, without its query).</summary>
    public Uri StsEndpoint => _sts.BaseUri;

    public async Task<EksToken> MintAsync(string clusterName, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(clusterName))
            throw new OpsException("EksClusterNameNotSet", OpsErrorCategory.InvalidArgument, "An EKS token names its cluster: the cluster name is empty.", isFatal: true);
        var signedAt = _time.GetUtcNow();
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri(StsEndpoint, "?" + Query) };
        request.Headers[EksToken.ClusterHeader] = clusterName;
        PresignResult presigned;
        try
        {
            presigned = await AWSSigV4Signer.PresignAsync(request, new AWSSigV4Parameters
            {
                Credentials = _sts.Credentials,
                Region = _sts.RegionEndpoint,
                Service = "sts",
                SignedAt = signedAt.UtcDateTime,
            }, PresignExpiry, ct).ConfigureAwait(false);
        }
        catch (AmazonClientException ex) when (!ct.IsCancellationRequested)
        {
            // Credentials that must be fetched (SSO, assume-role, instance role) can fail here; the SDK's message names no secret.
            throw new OpsException("EksTokenCredentialsFailed", OpsErrorCategory.AuthenticationError,
                $"No EKS token for cluster '{clusterName}': the AWS credentials ({_sts.CredentialSource}) could not be used: {ExceptionSanitizer.RedactMessage(ex.Message)}",
                clusterName, ExceptionSanitizer.Sanitize(ex), isFatal: true);
        }
        return new EksToken(Encode(presigned.Uri), clusterName, signedAt);
    }

    /// <summary>The token for a presigned URL: the prefix and the URL's base64url without padding.</summary>
    public static string Encode(Uri presigned) =>
        EksToken.Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(presigned.AbsoluteUri)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The presigned URL a token carries; null when it is not a k8s-aws-v1 token.</summary>
    public static Uri? Decode(string token)
    {
        if (!token.StartsWith(EksToken.Prefix, StringComparison.Ordinal)) return null;
        var body = token[EksToken.Prefix.Length..].Replace('-', '+').Replace('_', '/');
        body = body.PadRight(body.Length + (4 - body.Length % 4) % 4, '=');
        try
        {
            return Uri.TryCreate(Encoding.UTF8.GetString(Convert.FromBase64String(body)), UriKind.Absolute, out var uri) ? uri : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
