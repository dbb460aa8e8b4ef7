using Amazon;
using Amazon.Runtime;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Aws;

/// <summary>
/// The -Region, -ProfileName and -EndpointUrl an AWS command was given (null when not given), and
/// -AllowInsecureEndpoint (plain http:// to a host that is not this machine, for this invocation only).
/// </summary>
public sealed record AwsParameters(string? Region = null, string? ProfileName = null, string? EndpointUrl = null, bool AllowInsecureEndpoint = false);

/// <summary>Everything needed to call one AWS service, with where each value came from.</summary>
public sealed class AwsTarget
{
    public AwsTarget(string service, Resolved<string> region, Resolved<string>? endpoint, AWSCredentials credentials, string credentialSource)
    {
        Service = service;
        Region = region;
        Endpoint = endpoint;
        Credentials = credentials;
        CredentialSource = credentialSource;
    }

    /// <summary>The signing name: s3, rds, eks, ...</summary>
    public string Service { get; }
    public Resolved<string> Region { get; }
    /// <summary>An endpoint override (the sandbox, a VPC endpoint), or null for AWS's own endpoint.</summary>
    public Resolved<string>? Endpoint { get; }
    public AWSCredentials Credentials { get; }
    /// <summary>Where the credentials came from, for verbose output (never the secret itself).</summary>
    public string CredentialSource { get; }

    public RegionEndpoint RegionEndpoint => RegionEndpoint.GetBySystemName(Region.Value);

    /// <summary>The endpoint URL to call: the override, else AWS's regional endpoint for the service.</summary>
    public Uri BaseUri => Endpoint is { } e
        ? new Uri(e.Value.TrimEnd('/') + "/")
        : new Uri($"https://{Service}.{Region.Value}.amazonaws.com{(Region.Value.StartsWith("cn-", StringComparison.Ordinal) ? ".cn" : "")}/");

    public IEnumerable<string> Describe()
    {
        yield return $"AWS {Service}: region {Region.Value} (from {Region.Source})";
        yield return $"AWS {Service}: credentials from {CredentialSource}";
        yield return Endpoint is { } e ? $"AWS {Service}: endpoint {e.Value} (from {e.Source})" : $"AWS {Service}: endpoint {BaseUri} (AWS default)";
    }
}
