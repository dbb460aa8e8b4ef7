using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// The runbook's "credentials: update secrets" in one step: logs in with the NEW credentials first (refused, with nothing
/// changed, when they do not work), then writes them to the app's DB secret (Set-DbConnectionSecret's engine) and restarts
/// the deployments that read it (by default every deployment of the namespace that does; -Deployment names them).
/// -Wait waits for those rollouts. The password travels in the PSCredential and is never printed, logged or journaled.
/// </summary>
[Cmdlet(VerbsData.Update, "DbConnectionSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbSecretUpdateResult))]
public sealed class UpdateDbConnectionSecretCommand : RolloutCommandBase
{
    [Parameter(Mandatory = true, Position = 0)] [Credential] public PSCredential Credential { get; set; } = PSCredential.Empty;
    [Parameter] public string Name { get; set; } = "db-credentials";
    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    /// <summary>The deployments to restart; by default those whose pods read the secret.</summary>
    [Parameter] [ArgumentCompleter(typeof(DeploymentNameCompleter))] public string[]? Deployment { get; set; }
    [Parameter] public string? HostOverride { get; set; }
    [Parameter] [ValidateRange(1, 65535)] public int? Port { get; set; }
    [Parameter] [Duration] public TimeSpan LoginTimeout { get; set; } = TimeSpan.FromSeconds(5);
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);
    [Parameter] public SwitchParameter Force { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var ssl = Setting(null, "DbSslRootCert", c => c.DbSslRootCert)?.Value;
        var client = Client();
        var ns = Namespace ?? client.Namespace;
        var request = new DbSecretUpdateRequest
        {
            Namespace = ns, Name = Name, User = Credential.UserName, Password = Credential.GetNetworkCredential().Password,
            HostOverride = HostOverride, PortOverride = Port, Deployments = Deployment, Timeout = LoginTimeout, SslRootCert = ssl,
        };
        var target = $"secret/{Name} in {ns}";
        var action = $"Update database credentials (user {Credential.UserName}) after a verified login, and restart {(Deployment is { Length: > 0 } d ? string.Join(", ", d) : "the deployments that use it")}";
        Func<CancellationToken, Task<DbSecretUpdateResult>> update = ct => new DbSecretVerifier(client).UpdateAsync(request, Listener, ct);
        var result = Wait
            ? ChangeThenWait(target, action, update, r =>
            {
                foreach (var restart in r.Restarted) WaitForRollout(client, new RolloutRequest(ns, restart.Name) { Timeout = Timeout });
                return r;
            }, Force)
            : Change(target, action, update, Force);
        if (result is not null) WriteObject(result);
    }
}
