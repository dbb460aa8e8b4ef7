using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Commands;

/// <summary>Argo CD for every cmdlet that reads it (the Argo CD cmdlets, the investigation's syncs): the server, the token and the client.</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>
    /// An Argo CD client as the argocd CLI would find its server and token (see <see cref="ArgoResolver"/>), then the context;
    /// where each came from goes to verbose (never the token), and so do retries.
    /// </summary>
    protected ArgoClient OpenArgo(string? server = null, string? tokenFile = null, bool insecure = false)
    {
        var target = ArgoResolver.Resolve(ActiveContext, server, tokenFile is null ? null : GetUnresolvedProviderPathFromPSPath(tokenFile), insecure);
        foreach (var line in target.Describe()) WriteVerbose(line + ".");
        return ArgoClient.Create(target, onRetry: RetryNote("Argo CD"));
    }

    /// <summary>
    /// Argo CD's queries through <paramref name="owned"/> when Argo CD is configured, else null and why (for commands to which
    /// Argo CD is one source among others, such as the investigation: its syncs are then left out, said, not made up).
    /// </summary>
    private protected ArgoQueries? ArgoQueriesOrReason(OwnedClient<ArgoClient> owned, out string? unavailable)
    {
        try
        {
            unavailable = null;
            return new ArgoQueries(owned.Get(() => OpenArgo()));
        }
        catch (OpsException ex) // opening makes no request: these are settings (no server, no token, an unreadable token file)
        {
            unavailable = $"{ex.ErrorId}: {ex.Message}";
            WriteVerbose($"Argo CD is left out: {unavailable}");
            return null;
        }
    }
}
