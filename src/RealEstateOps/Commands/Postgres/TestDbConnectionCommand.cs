using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>
/// The runbook's "pg_isready -h $DB_HOST": can the platform database be reached and logged in to?
/// Emits one result (Accepting, Rejecting, NoResponse, NoAttempt) and, when the check failed, an error
/// with a specific id (use -ErrorAction SilentlyContinue, or -Quiet, for a plain status check).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DbConnection", DefaultParameterSetName = "Parts")]
[OutputType(typeof(DbConnectionResult), ParameterSetName = new[] { "Parts", "ConnectionString" })]
[OutputType(typeof(bool))]
public sealed class TestDbConnectionCommand : OpsCommandBase
{
    [Parameter(Position = 0, ParameterSetName = "Parts", ValueFromPipelineByPropertyName = true)]
    [Alias("Host", "Address", "DbHost")]
    public string? HostName { get; set; }

    [Parameter(ParameterSetName = "Parts", ValueFromPipelineByPropertyName = true)]
    [Alias("DbPort")]
    public int? Port { get; set; }

    [Parameter(ParameterSetName = "Parts", ValueFromPipelineByPropertyName = true)]
    [Alias("DbName")]
    public string? Database { get; set; }

    [Parameter(ParameterSetName = "Parts")]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ConnectionString")]
    public string ConnectionString { get; set; } = "";

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Return only $true (ready: accepting and logged in) or $false, with no error.</summary>
    [Parameter] public SwitchParameter Quiet { get; set; }

    protected override void ProcessRecordCore()
    {
        var request = ParameterSetName == "ConnectionString" ? new DbConnectionRequest { ConnectionString = ConnectionString, Timeout = Timeout, SslRootCert = SslRootCert() } : Resolve();
        var result = Run(ct => DbConnectionTester.TestAsync(request, ct));
        WriteVerbose($"{result.Host}:{result.Port}/{result.Database} as {result.User}: {result.Status}" + (result.LatencyMs is { } ms ? $" in {ms} ms" : ""));
        if (Quiet)
        {
            WriteObject(result.IsReady);
            return;
        }
        WriteObject(result);
        if (result.ErrorId is not null)
            WriteError(NewErrorRecord(new OpsException(result.ErrorId, CategoryOf(result), result.Error ?? result.Status.ToString(), result)));
    }

    private DbConnectionRequest Resolve()
    {
        var host = Setting(HostName, nameof(HostName), c => c.DbHost);
        var port = Setting(Port, nameof(Port), c => c.DbPort);
        var database = Setting(Database, nameof(Database), c => c.DbName);
        var user = Credential is not null ? new Resolved<string>(Credential.UserName, "parameter -Credential") : Setting(null, "User", c => c.DbUser);
        string? passFile = null;
        if (Credential is not null) WriteVerbose("Password: from -Credential.");
        else if (ActiveContext.Resolve(null, "DbPassFile", c => c.DbPassFile) is { } pf)
        {
            passFile = pf.Value;
            WriteVerbose($"Password: from the password file {pf.Value} (from {pf.Source}).");
        }
        else WriteVerbose("Password: none given; PGPASSWORD or ~/.pgpass apply if set.");
        return new DbConnectionRequest
        {
            Host = host?.Value, Port = port?.Value, Database = database?.Value, User = user?.Value,
            Password = Credential?.GetNetworkCredential().Password, PassFile = passFile, Timeout = Timeout, SslRootCert = SslRootCert(),
        };
    }

    /// <summary>The context's CA bundle for verify-full TLS to a remote host (an operator's PGSSLMODE/PGSSLROOTCERT still win).</summary>
    private string? SslRootCert()
    {
        var root = ActiveContext.Resolve(null, "DbSslRootCert", c => c.DbSslRootCert);
        if (root is { } r) WriteVerbose($"TLS: CA bundle {r.Value} (from {r.Source}) for a host that is not this machine.");
        return root?.Value;
    }

    private static OpsErrorCategory CategoryOf(DbConnectionResult r) => r.ErrorId switch
    {
        "DbAuthenticationFailed" or "DbPasswordMissing" => OpsErrorCategory.AuthenticationError,
        "DbDatabaseNotFound" => OpsErrorCategory.ObjectNotFound,
        "DbPermissionDenied" => OpsErrorCategory.PermissionDenied,
        "DbConnectionTimeout" => OpsErrorCategory.OperationTimeout,
        _ => r.Status switch
        {
            DbConnectionStatus.NoAttempt => OpsErrorCategory.InvalidArgument,
            DbConnectionStatus.Rejecting => OpsErrorCategory.ResourceUnavailable,
            _ => OpsErrorCategory.ConnectionError,
        },
    };
}
