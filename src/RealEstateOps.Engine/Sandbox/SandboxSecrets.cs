using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Sandbox;

/// <summary>
/// What a sandbox accepts, random for each start: the control token (/_sandbox/...), the Kubernetes
/// bearer tokens (admin and read-only) and the secrets of its two AWS access keys (the key ids stay
/// recognisable: AKIASANDBOX000000000, and AKIASANDBOXREADONLY0 which may only read). The launcher
/// makes them, hands them to the sandbox in a file only its owner can read (never in argv or the
/// environment) and writes them where clients read them: the control token file, the kubeconfig and
/// the AWS shared credentials file, each 0600.
/// </summary>
public sealed class SandboxSecrets
{
    public const string AccessKeyIdValue = "AKIASANDBOX000000000";
    public const string ReadOnlyAccessKeyIdValue = "AKIASANDBOXREADONLY0";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [JsonInclude] public string ControlToken { get; init; } = "";
    [JsonInclude] public string KubeAdminToken { get; init; } = "";
    [JsonInclude] public string KubeReadOnlyToken { get; init; } = "";
    [JsonInclude] public string AccessKeyId { get; init; } = AccessKeyIdValue;
    [JsonInclude] public string SecretAccessKey { get; init; } = "";
    [JsonInclude] public string ReadOnlyAccessKeyId { get; init; } = ReadOnlyAccessKeyIdValue;
    [JsonInclude] public string ReadOnlySecretAccessKey { get; init; } = "";

    /// <summary>Fresh secrets: 32 random bytes each (base64url), 30 for the AWS secrets (40 characters, as AWS's).</summary>
    public static SandboxSecrets Generate() => new()
    {
        ControlToken = Random(32),
        KubeAdminToken = Random(32),
        KubeReadOnlyToken = Random(32),
        SecretAccessKey = Random(30),
        ReadOnlySecretAccessKey = Random(30),
    };

    /// <summary>The secret of an access key id this sandbox knows, else null.</summary>
    public string? SecretFor(string accessKeyId) =>
        accessKeyId == AccessKeyId ? SecretAccessKey : accessKeyId == ReadOnlyAccessKeyId ? ReadOnlySecretAccessKey : null;

    /// <summary>Writes the secrets as JSON into a new file only the owner can read (0600 from creation).</summary>
    public void Save(string path) => FileUtil.WriteAtomic(path, JsonSerializer.Serialize(this, Json), ownerOnly: true);

    /// <summary>Reads secrets written by <see cref="Save"/>; refuses a file others can read or one that is incomplete.</summary>
    public static SandboxSecrets Load(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                throw new OpsException("SandboxSecretsUnsafe", OpsErrorCategory.PermissionDenied, $"The sandbox secrets file '{path}' is a symbolic link; refusing it.", path);
            if (info.Exists && (info.UnixFileMode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                throw new OpsException("SandboxSecretsUnsafe", OpsErrorCategory.PermissionDenied, $"The sandbox secrets file '{path}' can be read or written by other users (mode must be 0600); refusing it.", path);
        }
        SandboxSecrets? secrets;
        try { secrets = JsonSerializer.Deserialize<SandboxSecrets>(File.ReadAllText(path), Json); }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new OpsException("SandboxSecretsUnreadable", OpsErrorCategory.InvalidData, $"The sandbox secrets file '{path}' could not be read: {ex.Message}", path);
        }
        if (secrets is null || new[] { secrets.ControlToken, secrets.KubeAdminToken, secrets.KubeReadOnlyToken, secrets.SecretAccessKey, secrets.ReadOnlySecretAccessKey }
                .Any(s => string.IsNullOrEmpty(s) || s.Length < 20))
            throw new OpsException("SandboxSecretsUnreadable", OpsErrorCategory.InvalidData, $"The sandbox secrets file '{path}' is incomplete.", path);
        return secrets;
    }

    private static string Random(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
