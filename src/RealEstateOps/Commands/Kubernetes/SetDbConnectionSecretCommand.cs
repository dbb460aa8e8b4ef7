using RealEstateOps.Completers;
using System.Management.Automation;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// The recovery runbook's db-credentials update ("kubectl create secret generic ... --dry-run=client -o yaml |
/// kubectl apply -f -"): create or replace idempotently. Binds Address, Port and DbName by property name from a
/// piped DB instance. The password travels in the PSCredential and is never printed, logged or journaled.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DbConnectionSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DbConnectionSecret))]
public sealed class SetDbConnectionSecretCommand : KubeCommandBase
{
    /// <summary>The secret's name (default db-credentials, as the runbook names it).</summary>
    [Parameter] public string Name { get; set; } = "db-credentials";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Host", "Address", "DbHost", "Endpoint")]
    public string HostName { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DbPort")]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The database name; binds by property name from a piped DB instance (its DbName), so the secret names the piped instance's data.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DbName")]
    public string? Database { get; set; }

    [Parameter(Mandatory = true)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] public SwitchParameter PassThru { get; set; }
    [Parameter] public SwitchParameter Force { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        if (string.IsNullOrWhiteSpace(HostName))
            throw new OpsException("DbHostNotConfigured", OpsErrorCategory.InvalidArgument, "-HostName is empty: give the database host (or pipe a DB instance with an Address).");
        var port = Setting(Port, nameof(Port), c => c.DbPort)?.Value ?? 5432;
        var database = Setting(string.IsNullOrEmpty(Database) ? null : Database, nameof(Database), c => c.DbName)?.Value;
        var client = Client();
        var request = new DbSecretRequest
        {
            Namespace = client.Namespace, Name = Name, Host = HostName, Port = port, Database = database,
            User = Credential.UserName, Password = Credential.GetNetworkCredential().Password,
        };
        var result = Change($"secret/{Name} in {client.Namespace}", $"Set database connection (host {HostName}:{port}, user {Credential.UserName})",
            ct => new DbSecretWriter(client).ApplyAsync(request, Listener, ct), Force);
        if (result is not null && PassThru) WriteObject(result);
    }
}
