using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Engine.ArgoCd;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands.ArgoCd;

/// <summary>
/// Base of the Argo CD cmdlets: -Server, -TokenFile and -Insecure, else what the argocd CLI finds (ARGOCD_SERVER,
/// ARGOCD_AUTH_TOKEN, its config file), else the context (ServiceUrls argocd, ArgoCdTokenFile); one client per command,
/// with -Verbose saying where the server and the token came from (never the token). Retries go to verbose.
/// </summary>
public abstract class ArgoCommandBase : OpsCommandBase
{
    private readonly OwnedClient<ArgoClient> _client = new();

    /// <summary>The Argo CD server: host:port (https) or an http(s) URL.</summary>
    [Parameter] public string? Server { get; set; }

    /// <summary>A file holding the API token (one line, 0600). The token itself is never a parameter.</summary>
    [Parameter] public string? TokenFile { get; set; }

    /// <summary>Do not check the server's TLS certificate (as argocd --insecure).</summary>
    [Parameter] public SwitchParameter Insecure { get; set; }

    /// <summary>The command's client, opened on first use on the pipeline thread (its settings and their sources go to verbose).</summary>
    protected ArgoClient Argo => _client.Get(() => OpenArgo(Server, TokenFile, Insecure));

    protected ArgoQueries Queries => new(Argo);
    protected ArgoOperations Operations => new(Argo);

    /// <summary>Resolves the server and token here, on the pipeline thread, before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Argo;

    /// <summary>
    /// Waits with Write-Progress. Ctrl+C stops the wait at once: what Argo CD is doing goes on (nothing is undone), and
    /// the host is told so and how to check it.
    /// </summary>
    protected ArgoApplication WaitFor(ArgoWaitRequest request)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return Run(ct => Operations.WaitAsync(request, WaitProgress(), ct));
        }
        catch (PipelineStoppedException)
        {
            var message = $"Stopped waiting for Argo CD application '{request.Name}' after {Waiter.Format(watch.Elapsed)}; Argo CD goes on and nothing was undone. " +
                          $"Check with Get-ArgoApplication {request.Name} or Wait-ArgoApplication {request.Name}.";
            try { Host.UI.WriteWarningLine(message); } catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or NotImplementedException) { }
            throw;
        }
    }

    /// <summary>Whether the caller said -Confirm:$false.</summary>
    protected bool ConfirmedOff => MyInvocation.BoundParameters.TryGetValue("Confirm", out var c) && !LanguagePrimitives.IsTrue(c);

    /// <summary>
    /// The extra question a destructive switch asks (ShouldContinue, whatever $ConfirmPreference says). A "no" is journaled
    /// as Declined; a session that cannot prompt gets ConfirmationRequired (journaled), as ShouldProcess does.
    /// </summary>
    protected bool ConfirmDestructive(string target, string action, string query, string caption)
    {
        bool yes;
        try
        {
            yes = ShouldContinue(query, caption);
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException or NotSupportedException
                                   && ex is not PipelineStoppedException)
        {
            const string message = "needs confirmation, but this session cannot prompt (it is non-interactive). Nothing was changed.";
            Journal(target, action, Engine.Journal.JournalOutcome.Declined, TimeSpan.Zero, "ConfirmationRequired", $"{action} on {target} {message}");
            throw new Engine.Common.OpsException("ConfirmationRequired", Engine.Common.OpsErrorCategory.InvalidOperation, $"{action} on '{target}' {message}", target, isFatal: true)
            {
                RecommendedAction = "Check the plan with -WhatIf, then run it with -Force (or -Confirm:$false) in a script that cannot prompt.",
            };
        }
        if (!yes) Journal(target, action, Engine.Journal.JournalOutcome.Declined, TimeSpan.Zero);
        return yes;
    }

    /// <summary>Argo CD clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<ArgoClient>.Open;

    protected override void ReleaseResources() => _client.Release();
}
