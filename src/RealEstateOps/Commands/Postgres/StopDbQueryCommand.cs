using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>
/// Cancels a session's running query (pg_cancel_backend), or with -Terminate ends the session (pg_terminate_backend). Takes process ids
/// from Get-DbActivity -Detail through the pipeline; refuses its own connection; journaled; -WhatIf signals nothing.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "DbQuery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DbQueryStopResult))]
public sealed class StopDbQueryCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Pid")]
    [ValidateRange(1, int.MaxValue)]
    public int[] ProcessId { get; set; } = Array.Empty<int>();

    /// <summary>End the session (its connection closes), not only its current query.</summary>
    [Parameter] public SwitchParameter Terminate { get; set; }

    [Parameter]
    [Alias("Host", "Address", "DbHost")]
    public string? HostName { get; set; }

    [Parameter]
    [Alias("DbPort")]
    public int? Port { get; set; }

    [Parameter]
    [Alias("DbName")]
    public string? Database { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    [Parameter] public SwitchParameter Force { get; set; }

    private DbConnectionRequest? _connection;

    protected override void ProcessRecordCore()
    {
        _connection ??= DbConnectionVerbose.Resolve(this, ActiveContext, new DbConnectionParameters
        {
            HostName = HostName, Port = Port, Database = Database, CredentialUser = Credential?.UserName,
            Password = Credential?.GetNetworkCredential().Password, Timeout = Timeout,
        });
        foreach (var pid in ProcessId)
        {
            var action = Terminate ? "Terminate the database session (pg_terminate_backend)" : "Cancel the running query (pg_cancel_backend)";
            var result = Change($"process {pid}", action, ct => new PgBackendStopper().StopAsync(_connection, pid, Terminate, ct), Force);
            if (result is not null) WriteObject(result);
        }
    }
}
