using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// Where a Langfuse client goes and who it is: the base URL, the project's public key and its secret key, each with
/// where it came from. The secret is held for the client's basic auth only: it is in no description, message or text.
/// </summary>
public sealed class LangfuseTarget
{
    public const string PublicKeyVariable = "LANGFUSE_PUBLIC_KEY";
    public const string SecretKeyVariable = "LANGFUSE_SECRET_KEY";

    public LangfuseTarget(Resolved<string> url, Resolved<string> publicKey, string secretKey, string secretKeySource)
    {
        if (!Uri.TryCreate(url.Value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new OpsException("LangfuseUrlInvalid", OpsErrorCategory.InvalidArgument, $"'{url.Value}' (from {url.Source}) is not an http(s) URL of a Langfuse server.", url.Value, isFatal: true);
        if (string.IsNullOrWhiteSpace(secretKey))
            throw new OpsException("LangfuseCredentialsNotSet", OpsErrorCategory.AuthenticationError, $"The Langfuse secret key from {secretKeySource} is empty.", null, isFatal: true);
        Url = url;
        BaseUri = new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        PublicKey = publicKey;
        SecretKey = secretKey.Trim();
        SecretKeySource = secretKeySource;
    }

    public Resolved<string> Url { get; }
    public Uri BaseUri { get; }
    public Resolved<string> PublicKey { get; }
    internal string SecretKey { get; }
    /// <summary>Where the secret key was read (a file's path or the environment variable's name), never the key.</summary>
    public string SecretKeySource { get; }

    /// <summary>What the verbose stream says about the target.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"Langfuse: {BaseUri} (from {Url.Source})";
        yield return $"Langfuse public key: {PublicKey.Value} (from {PublicKey.Source}); secret key from {SecretKeySource}";
    }

    public override string ToString() => $"Langfuse {BaseUri} as {PublicKey.Value}";
}
