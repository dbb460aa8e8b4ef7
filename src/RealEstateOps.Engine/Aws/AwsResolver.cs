using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Engine.Aws;

/// <summary>
/// Resolves region, credentials and endpoint for one AWS service, in one order everywhere:
/// region: -Region, the context's own Region, AWS_REGION / AWS_DEFAULT_REGION, the profile's region, the built-in default;
/// profile: -ProfileName, the context's ProfileName, AWS_PROFILE, else the SDK's default credential chain
/// (environment, shared profiles, assume-role, SSO, web identity, container, instance metadata);
/// endpoint: -EndpointUrl, the context's Endpoints[service], AWS_ENDPOINT_URL_&lt;SERVICE&gt; / AWS_ENDPOINT_URL, else AWS's own.
/// An endpoint on plain http is accepted only for a loopback host (localhost, 127.0.0.0/8, ::1) unless the
/// command was given -AllowInsecureEndpoint (EndpointInsecure otherwise); there is no context setting for that.
/// </summary>
public static class AwsResolver
{
    public static AwsTarget Resolve(string service, AwsParameters parameters, ActiveContext context, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var contextName = $"context '{context.Name.Value}'";

        Resolved<string>? profile = !string.IsNullOrEmpty(parameters.ProfileName) ? new(parameters.ProfileName, "parameter -ProfileName")
            : !string.IsNullOrEmpty(context.Stored.ProfileName) ? new(context.Stored.ProfileName, contextName)
            : env("AWS_PROFILE") is { Length: > 0 } envProfile ? new(envProfile, "environment variable AWS_PROFILE")
            : null;
        var credentialsFile = context.Effective.AwsCredentialsFile;

        CredentialProfile? profileData = null;
        AWSCredentials credentials;
        string credentialSource;
        if (profile is { } p)
        {
            var chain = new CredentialProfileStoreChain(credentialsFile);
            if (!chain.TryGetProfile(p.Value, out profileData) || !chain.TryGetAWSCredentials(p.Value, out credentials))
                throw new OpsException("AwsProfileNotFound", OpsErrorCategory.AuthenticationError,
                    $"The AWS profile '{p.Value}' (from {p.Source}) was not found or has no usable credentials" +
                    (credentialsFile is null ? " in the shared config and credentials files." : $" in '{credentialsFile}'."), p.Value, isFatal: true);
            credentialSource = $"profile '{p.Value}' (from {p.Source}{(credentialsFile is null ? "" : $", file {credentialsFile}")})";
        }
        else
        {
            try
            {
                credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null!) ?? throw new AmazonClientException("no credentials");
            }
            catch (AmazonClientException)
            {
                // The SDK's own message lists each provider's exception ("The webIdentityTokenFile must be an absolute
                // path" when no web identity is configured at all): say in our words which sources were looked at.
                throw new OpsException("AwsCredentialsNotFound", OpsErrorCategory.AuthenticationError,
                    "No AWS credentials were found. Looked at, in order: " + string.Join("; ", CredentialSourcesTried(env)) + ". " +
                    "Give -ProfileName, set ProfileName in the context (Set-OpsContext -ProfileName), or set up one of those sources.", service, isFatal: true)
                {
                    RecommendedAction = "Name an AWS profile with -ProfileName or in the context; 'aws configure list' shows what the AWS CLI would use.",
                };
            }
            credentialSource = $"the default credential chain ({credentials.GetType().Name.Replace("AWSCredentials", "")})";
        }

        Resolved<string> region = !string.IsNullOrEmpty(parameters.Region) ? new(parameters.Region, "parameter -Region")
            : !string.IsNullOrEmpty(context.Stored.Region) ? new(context.Stored.Region, contextName)
            : env("AWS_REGION") is { Length: > 0 } r1 ? new(r1, "environment variable AWS_REGION")
            : env("AWS_DEFAULT_REGION") is { Length: > 0 } r2 ? new(r2, "environment variable AWS_DEFAULT_REGION")
            : profileData?.Region is { } pr ? new(pr.SystemName, $"profile '{profile!.Value.Value}'")
            : new(context.Effective.Region ?? "us-east-1", "built-in default");

        var serviceEnv = "AWS_ENDPOINT_URL_" + service.ToUpperInvariant().Replace('-', '_');
        Resolved<string>? endpoint = !string.IsNullOrEmpty(parameters.EndpointUrl) ? new(parameters.EndpointUrl, "parameter -EndpointUrl")
            : context.Effective.Endpoints.TryGetValue(service, out var ep) ? new(ep, context.Stored.Endpoints.ContainsKey(service) ? contextName : "built-in default")
            : env(serviceEnv) is { Length: > 0 } e1 ? new(e1, $"environment variable {serviceEnv}")
            : env("AWS_ENDPOINT_URL") is { Length: > 0 } e2 ? new(e2, "environment variable AWS_ENDPOINT_URL")
            : null;
        if (endpoint is { } epv && (!Uri.TryCreate(epv.Value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            throw new OpsException("AwsEndpointInvalid", OpsErrorCategory.InvalidArgument, $"Endpoint '{epv.Value}' (from {epv.Source}) is not an absolute http or https URL.", epv.Value, isFatal: true);
        if (endpoint is { } insecure && new Uri(insecure.Value).Scheme == Uri.UriSchemeHttp && !Loopback.IsLoopbackHost(new Uri(insecure.Value).Host) && !parameters.AllowInsecureEndpoint)
            throw new OpsException("EndpointInsecure", OpsErrorCategory.InvalidArgument,
                $"Endpoint '{insecure.Value}' (from {insecure.Source}) is plain http to a host that is not this machine: requests signed with real credentials " +
                "and their data would cross the network unencrypted. Use https, or give -AllowInsecureEndpoint for this one command if you mean it " +
                "(plain http is accepted without it only for localhost, 127.0.0.0/8 and ::1).", insecure.Value, isFatal: true);
        if (!ContextStore.IsValidRegion(region.Value))
            throw new OpsException("AwsRegionInvalid", OpsErrorCategory.InvalidArgument, $"'{region.Value}' (from {region.Source}) is not an AWS region name such as us-east-1.", region.Value, isFatal: true);
        return new AwsTarget(service, region, endpoint, credentials, credentialSource);
    }

    /// <summary>The sources of the SDK's default credential chain, each with what was found there (never a secret).</summary>
    internal static IEnumerable<string> CredentialSourcesTried(Func<string, string?> env)
    {
        static bool Set(string? value) => !string.IsNullOrEmpty(value);
        yield return (Set(env("AWS_ACCESS_KEY_ID")), Set(env("AWS_SECRET_ACCESS_KEY"))) switch
        {
            (false, _) => "environment variables (AWS_ACCESS_KEY_ID is not set)",
            (true, false) => "environment variables (AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not)",
            _ => "environment variables (set, but not usable)",
        };
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var credentials = env("AWS_SHARED_CREDENTIALS_FILE") is { Length: > 0 } c ? c : Path.Combine(home, ".aws", "credentials");
        var config = env("AWS_CONFIG_FILE") is { Length: > 0 } f ? f : Path.Combine(home, ".aws", "config");
        var files = new[] { credentials, config }.Where(File.Exists).ToList();
        yield return files.Count == 0
            ? $"the profile 'default' ({credentials} and {config} do not exist)"
            : $"the profile 'default' (not found, or without usable credentials, in {string.Join(" and ", files)})";
        yield return Set(env("AWS_WEB_IDENTITY_TOKEN_FILE"))
            ? $"web identity (AWS_WEB_IDENTITY_TOKEN_FILE is set{(Set(env("AWS_ROLE_ARN")) ? "" : " but AWS_ROLE_ARN is not")})"
            : "web identity (AWS_WEB_IDENTITY_TOKEN_FILE is not set)";
        if (Set(env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) || Set(env("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
            yield return "container credentials (ECS or EKS Pod Identity; no answer)";
        yield return string.Equals(env("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase)
            ? "the EC2 instance role (AWS_EC2_METADATA_DISABLED is true)"
            : "the EC2 instance role (the instance metadata service gave none)";
    }
}
