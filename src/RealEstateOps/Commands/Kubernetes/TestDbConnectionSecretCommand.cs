using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>
/// The runbook's "credentials: verify secrets": logs in with the credentials in the app's DB secret (db-credentials) and says
/// whether they work, and if not why (DbAuthenticationFailed, DbTooManyConnections, DbHostUnreachable, ...). The password is
/// never output. -HostOverride/-Port reach the database another way (a port-forward) when its in-cluster address is not reachable from here.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DbConnectionSecret")]
[OutputType(typeof(DbSecretTestResult))]
public sealed class TestDbConnectionSecretCommand : KubeCommandBase
{
    [Parameter(Position = 0)] public string Name { get; set; } = "db-credentials";
    [Parameter] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] public string? HostOverride { get; set; }
    [Parameter] [ValidateRange(1, 65535)] public int? Port { get; set; }
    [Parameter] [Duration] public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        var ssl = Setting(null, "DbSslRootCert", c => c.DbSslRootCert)?.Value;
        var client = Client();
        var request = new DbSecretTestRequest
        {
            Namespace = Namespace ?? client.Namespace, Name = Name, HostOverride = HostOverride, PortOverride = Port, Timeout = Timeout, SslRootCert = ssl,
        };
        WriteObject(Run(ct => new DbSecretVerifier(client).TestAsync(request, ct)));
    }
}
