using System.Security.Cryptography;

namespace RealEstateOps.Sandbox.Security;

/// <summary>
/// What a sandbox accepts, random for each start and made by the sandbox itself: the control token (/_sandbox/...),
/// the Kubernetes bearer tokens (admin and read-only) and the secrets of its two AWS access keys (the key ids stay
/// recognisable: AKIASANDBOX000000000, and AKIASANDBOXREADONLY0 which may only read). They never leave the sandbox
/// but in the files it writes for its clients (<see cref="SandboxClientFiles"/>), each 0600: never argv, the
/// environment or its log.
/// </summary>
public sealed class SandboxSecrets
{
    public const string AccessKeyIdValue = "AKIASANDBOX000000000";
    public const string ReadOnlyAccessKeyIdValue = "AKIASANDBOXREADONLY0";

    public string ControlToken { get; init; } = "";
    public string KubeAdminToken { get; init; } = "";
    public string KubeReadOnlyToken { get; init; } = "";
    public string AccessKeyId { get; init; } = AccessKeyIdValue;
    public string SecretAccessKey { get; init; } = "";
    public string ReadOnlyAccessKeyId { get; init; } = ReadOnlyAccessKeyIdValue;
    public string ReadOnlySecretAccessKey { get; init; } = "";
    /// <summary>Langfuse's key pair (basic auth: the public key as user, the secret key as password), as a Langfuse project's API keys look.</summary>
    public string LangfusePublicKey { get; init; } = "";
    public string LangfuseSecretKey { get; init; } = "";
    /// <summary>The Argo CD API token (a bearer token, as an argocd account's token is used).</summary>
    public string ArgoCdToken { get; init; } = "";
    /// <summary>The secret part of the sandbox's Slack and Teams webhook URLs (as a Slack incoming webhook URL carries one).</summary>
    public string WebhookToken { get; init; } = "";
    /// <summary>The PagerDuty Events API v2 routing key the sandbox accepts (32 characters, as an integration key).</summary>
    public string PagerDutyRoutingKey { get; init; } = "";

    /// <summary>Fresh secrets: 32 random bytes each (base64url), 30 for the AWS secrets (40 characters, as AWS's).</summary>
    public static SandboxSecrets Generate() => new()
    {
        ControlToken = Random(32),
        KubeAdminToken = Random(32),
        KubeReadOnlyToken = Random(32),
        SecretAccessKey = Random(30),
        ReadOnlySecretAccessKey = Random(30),
        LangfusePublicKey = "pk-lf-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(),
        LangfuseSecretKey = "sk-lf-" + Random(32),
        ArgoCdToken = Random(32),
        WebhookToken = Random(24),
        PagerDutyRoutingKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
    };

    /// <summary>The secret of an access key id this sandbox knows, else null.</summary>
    public string? SecretFor(string accessKeyId) =>
        accessKeyId == AccessKeyId ? SecretAccessKey : accessKeyId == ReadOnlyAccessKeyId ? ReadOnlySecretAccessKey : null;

    private static string Random(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
