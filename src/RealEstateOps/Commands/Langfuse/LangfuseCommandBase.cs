using System.Management.Automation;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>
/// Base of the Langfuse cmdlets: -LangfuseUrl (else the context's ServiceUrls["langfuse"]), the key pair from the context
/// (LangfusePublicKey, LangfuseSecretKeyFile) or LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY, and one client per command,
/// with -Verbose saying where each came from (the secret key's source, never the key). Retries go to verbose.
/// </summary>
public abstract class LangfuseCommandBase : OpsCommandBase
{
    private readonly OwnedClient<LangfuseClient> _client = new();

    [Parameter] public string? LangfuseUrl { get; set; }

    /// <summary>The command's client, opened on first use on the pipeline thread (its settings and their sources go to verbose).</summary>
    protected LangfuseClient Langfuse => _client.Get(() => OpenLangfuse(LangfuseUrl));

    protected LangfuseQueries Queries => new(Langfuse);
    protected LangfuseDatasets Datasets => new(Langfuse);

    /// <summary>Resolves the URL and keys here, on the pipeline thread, before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Langfuse;

    /// <summary>Langfuse clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<LangfuseClient>.Open;

    protected override void ReleaseResources() => _client.Release();
}
