using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>
/// Base of the cmdlets that work inside the database server (Get-DbHealth, Invoke-DbMaintenance): -HostName, -Port, -Database,
/// -Credential and -Timeout, resolved once per command as Test-DbConnection resolves them (the parameter, else the active context;
/// where each came from goes to verbose; the password never leaves the request).
/// </summary>
public abstract class PgCommandBase : OpsCommandBase
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Host", "Address", "DbHost")]
    public string? HostName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DbPort")]
    public int? Port { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DbName")]
    public string? Database { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>How long to wait for the server to accept a connection.</summary>
    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The connection to make for the current record (on the pipeline thread, so its sources go to verbose).</summary>
    protected DbConnectionRequest ResolveConnection() => DbConnectionVerbose.Resolve(this, ActiveContext, new DbConnectionParameters
    {
        HostName = HostName, Port = Port, Database = Database, CredentialUser = Credential?.UserName,
        Password = Credential?.GetNetworkCredential().Password, Timeout = Timeout,
    });
}
