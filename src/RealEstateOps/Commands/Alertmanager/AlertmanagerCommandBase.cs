using System.Management.Automation;
using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Commands.Alertmanager;

/// <summary>
/// Base of the Alertmanager cmdlets: -AlertmanagerUrl (else the context's ServiceUrls['alertmanager'], which
/// Start-OpsSandbox sets to the sandbox's real Alertmanager), one client per command, retries said in verbose output.
/// </summary>
public abstract class AlertmanagerCommandBase : OpsCommandBase
{
    private readonly OwnedClient<AlertmanagerClient> _client = new();
    private AlertSilences? _silences;

    /// <summary>The Alertmanager's URL; defaults to the context's ServiceUrls['alertmanager'].</summary>
    [Parameter] public string? AlertmanagerUrl { get; set; }

    protected AlertSilences Silences => _silences ??= new AlertSilences(_client.Get(() => OpenAlertmanager(AlertmanagerUrl)));

    /// <summary>Resolves the URL here, on the pipeline thread (its source goes to verbose), before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Silences;

    /// <summary>Alertmanager clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<AlertmanagerClient>.Open;

    protected override void ReleaseResources() => _client.Release();

    protected static AlertMatcher[] Matchers(string[]? texts) => (texts ?? Array.Empty<string>()).Select(AlertMatcher.Parse).ToArray();
}

