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
        var request = DbConnectionVerbose.Resolve(this, ActiveContext, ParameterSetName == "ConnectionString"
            ? new DbConnectionParameters { ConnectionString = ConnectionString, Timeout = Timeout }
            : new DbConnectionParameters
            {
                HostName = HostName, Port = Port, Database = Database, CredentialUser = Credential?.UserName,
                Password = Credential?.GetNetworkCredential().Password, Timeout = Timeout,
            });
        var result = Run(ct => DbConnectionTester.TestAsync(request, ct));
        WriteVerbose($"{result.Host}:{result.Port}/{result.Database} as {result.User}: {result.Status}" + (result.LatencyMs is { } ms ? $" in {ms} ms" : ""));
        if (Quiet)
        {
            WriteObject(result.IsReady);
            return;
        }
        WriteObject(result);
        if (result.ErrorId is not null)
            WriteError(NewErrorRecord(new OpsException(result.ErrorId, result.ErrorCategory ?? OpsErrorCategory.NotSpecified, result.Error ?? result.Status.ToString(), result)));
    }
}
