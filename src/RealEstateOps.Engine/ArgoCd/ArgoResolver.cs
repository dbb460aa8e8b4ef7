using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// Where a command's Argo CD server and token come from, as the argocd CLI finds them, then our context:
/// <list type="number">
/// <item>-Server, else ARGOCD_SERVER (its token: -TokenFile, else ARGOCD_AUTH_TOKEN, else the context's ArgoCdTokenFile);</item>
/// <item>else the argocd CLI config file's current context (under $ARGOCD_CONFIG_DIR, ~/.argocd or ~/.config/argocd):
///   its server (plain-text: http; insecure) and its user's auth-token (-TokenFile or ARGOCD_AUTH_TOKEN win);</item>
/// <item>else the context: ServiceUrls["argocd"] and ArgoCdTokenFile (-TokenFile, ARGOCD_AUTH_TOKEN win).</item>
/// </list>
/// ARGOCD_OPTS' --plaintext and --insecure apply as they do for the CLI. The token is never a parameter.
/// </summary>
public static class ArgoResolver
{
    public static ArgoTarget Resolve(ActiveContext context, string? explicitServer, string? tokenFile, bool insecure,
        Func<string, string?>? environment = null, string? home = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        home ??= Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var options = environment(ArgoTarget.OptionsVariable) ?? "";
        var optPlain = options.Contains("--plaintext", StringComparison.Ordinal);
        var optInsecure = options.Contains("--insecure", StringComparison.Ordinal);

        (string Token, string Source)? Explicit() =>
            !string.IsNullOrEmpty(tokenFile) ? (ArgoTokenFile.Read(tokenFile), $"file {tokenFile} (from parameter -TokenFile)")
            : environment(ArgoTarget.TokenVariable) is { Length: > 0 } t ? (t, "environment " + ArgoTarget.TokenVariable)
            : null;

        (string Token, string Source)? FromContext() =>
            context.Resolve(null, "ArgoCdTokenFile", c => c.ArgoCdTokenFile) is { } file
                ? (ArgoTokenFile.Read(file.Value), $"file {file.Value} (from {file.Source})") : null;

        Resolved<string>? server = !string.IsNullOrEmpty(explicitServer) ? new(explicitServer, "parameter -Server")
            : environment(ArgoTarget.ServerVariable) is { Length: > 0 } env ? new(env, "environment " + ArgoTarget.ServerVariable)
            : null;
        if (server is { } given)
        {
            var token = Explicit() ?? FromContext() ?? throw NotSet(given);
            return new ArgoTarget(given, token.Token, token.Source, insecure || optInsecure, optPlain);
        }

        if (ArgoCliConfig.DefaultDirectory(environment, home) is { } dir && ArgoCliConfig.Load(Path.Combine(dir, "config")) is { Server: { Length: > 0 } configServer } config)
        {
            var where = new Resolved<string>(configServer, $"argocd config {config.Path}, context '{config.CurrentContext}'");
            var token = Explicit() ?? (!string.IsNullOrEmpty(config.Token) ? (config.Token, $"argocd config {config.Path}, user '{config.UserName}'") : ((string, string)?)null)
                        ?? throw NotSet(where);
            return new ArgoTarget(where, token.Item1, token.Item2, insecure || optInsecure || config.Insecure, optPlain || config.PlainText, config.RootPath);
        }

        var url = context.Resolve(null, "Server", c => c.ServiceUrls.TryGetValue("argocd", out var u) ? u : null)
                  ?? throw new OpsException("ArgoCdServerNotSet", OpsErrorCategory.InvalidArgument,
                      "No Argo CD server: give -Server, set ARGOCD_SERVER, log in with the argocd CLI (its config file), or set the context's ServiceUrls argocd (Set-OpsContext -ServiceUrl @{ argocd = 'https://...' }).", null, isFatal: true);
        var fromContext = Explicit() ?? FromContext() ?? throw NotSet(url);
        return new ArgoTarget(url, fromContext.Token, fromContext.Source, insecure || optInsecure, optPlain);
    }

    private static OpsException NotSet(Resolved<string> server) =>
        new("ArgoCdTokenNotSet", OpsErrorCategory.AuthenticationError,
            $"No Argo CD token for {server.Value} (from {server.Source}): give -TokenFile, set ARGOCD_AUTH_TOKEN, or set the context's token file (Set-OpsContext -ArgoCdTokenFile).", null, isFatal: true);
}
