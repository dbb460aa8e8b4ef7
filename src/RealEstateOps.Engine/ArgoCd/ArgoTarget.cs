using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// Where an Argo CD client goes and who it is: the server's base URL (http for plain-text servers), whether the TLS
/// certificate is checked, and the API token with where it came from. The token is held for the Authorization header
/// only: it is in no description, message or text.
/// </summary>
public sealed class ArgoTarget
{
    public const string ServerVariable = "ARGOCD_SERVER";
    public const string TokenVariable = "ARGOCD_AUTH_TOKEN";
    public const string OptionsVariable = "ARGOCD_OPTS";
    public const string ConfigDirVariable = "ARGOCD_CONFIG_DIR";

    public ArgoTarget(Resolved<string> server, string token, string tokenSource, bool insecure = false, bool plainText = false, string? rootPath = null)
    {
        var text = server.Value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = (plainText ? "http://" : "https://") + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
            throw new OpsException("ArgoCdServerInvalid", OpsErrorCategory.InvalidArgument, $"'{server.Value}' (from {server.Source}) is not the address of an Argo CD server (host:port or an http(s) URL).", server.Value, isFatal: true);
        if (string.IsNullOrWhiteSpace(token))
            throw new OpsException("ArgoCdTokenNotSet", OpsErrorCategory.AuthenticationError, $"The Argo CD token from {tokenSource} is empty.", null, isFatal: true);
        var path = uri.AbsolutePath.TrimEnd('/');
        if (!string.IsNullOrEmpty(rootPath)) path += "/" + rootPath.Trim('/');
        Server = server;
        BaseUri = new Uri($"{uri.Scheme}://{uri.Authority}{path}/");
        Token = token.Trim();
        TokenSource = tokenSource;
        Insecure = insecure;
    }

    public Resolved<string> Server { get; }
    public Uri BaseUri { get; }
    internal string Token { get; }
    /// <summary>Where the token was read (a file, the config file's user, or the environment variable's name), never the token.</summary>
    public string TokenSource { get; }
    /// <summary>Skip the check of the server's TLS certificate (argocd --insecure).</summary>
    public bool Insecure { get; }

    public IEnumerable<string> Describe()
    {
        yield return $"Argo CD: {BaseUri} (from {Server.Source}){(Insecure ? ", TLS certificate not checked (insecure)" : "")}";
        yield return $"Argo CD token from {TokenSource}";
    }

    public override string ToString() => $"Argo CD {BaseUri}";
}
