using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Commands.Postgres;

/// <summary>
/// What the database's connections are doing: connections in use against max_connections and the superuser-reserved slots, by state,
/// application and user; the longest-running queries and who blocks whom (one DbActivityReport). -Detail emits the sessions instead
/// (ProcessId binds into Stop-DbQuery). When every slot is taken a normal login fails: DbTooManyConnections, unless
/// -SuperuserCredential can still log in on a reserved slot, in which case the report says the normal login was refused.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DbActivity")]
[OutputType(typeof(DbActivityReport))]
[OutputType(typeof(DbSession))]
public sealed class GetDbActivityCommand : OpsCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
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

    /// <summary>A superuser login, tried when the normal one is refused because every ordinary slot is in use.</summary>
    [Parameter]
    [Credential]
    public PSCredential? SuperuserCredential { get; set; }

    /// <summary>Emit the sessions (pg_stat_activity's client backends) rather than the report.</summary>
    [Parameter] public SwitchParameter Detail { get; set; }

    /// <summary>How many longest-running queries the report lists.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int Top { get; set; } = 10;

    [Parameter]
    [Duration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    protected override void ProcessRecordCore()
    {
        var connection = DbConnectionVerbose.Resolve(this, ActiveContext, new DbConnectionParameters
        {
            HostName = HostName, Port = Port, Database = Database, CredentialUser = Credential?.UserName,
            Password = Credential?.GetNetworkCredential().Password, Timeout = Timeout,
        });
        var superuser = SuperuserCredential is null ? null : DbConnectionSettings.Resolve(new DbConnectionParameters
        {
            HostName = HostName, Port = Port, Database = Database, CredentialUser = SuperuserCredential.UserName,
            Password = SuperuserCredential.GetNetworkCredential().Password, Timeout = Timeout,
        }, ActiveContext).Request();
        var report = Run(ct => new PgActivityReader().ReadAsync(new DbActivityRequest { Connection = connection, Superuser = superuser, Top = Top }, ct));
        if (report.LoginRefused) WriteWarning($"The normal login was refused ({report.LoginErrorId}): {report.LoginError} The report was read as {report.ConnectedAs}.");
        else if (report.IsExhausted) WriteWarning($"No connection slot is left for ordinary roles: {report.InUse} in use, max_connections {report.MaxConnections}, {report.ReservedForSuperuser} reserved for superusers.");
        if (Detail) WriteObject(report.Sessions, enumerateCollection: true);
        else WriteObject(report);
    }
}
