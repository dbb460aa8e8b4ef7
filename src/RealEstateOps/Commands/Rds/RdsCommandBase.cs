using System.Management.Automation;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands.Rds;

/// <summary>
/// Base of the RDS cmdlets: one RDS client per command (region, credentials and endpoint resolved by
/// AwsCommandBase; retries said in verbose output), the instance id from the parameter or the context, and
/// waits that, when stopped with Ctrl+C, say what is still in progress on AWS's side.
/// </summary>
public abstract class RdsCommandBase : AwsCommandBase
{
    private readonly OwnedClient<RdsClient> _client = new();
    private readonly OwnedClient<Ec2Client> _ec2 = new();
    private RdsOperations? _ops;
    private DbParameterOperations? _parameters;
    private DbInstanceMaintenance? _maintenance;
    private DbNetworkReader? _network;
    private DbPendingMaintenanceOperations? _pendingMaintenance;

    private RdsClient Client => OpenRds(_client);

    protected RdsOperations Rds => _ops ??= new RdsOperations(Client);

    /// <summary>The command's RDS client, for operations built on it (the backup policy check, the restore drill).</summary>
    protected IRdsClient Api => Client;

    /// <summary>Parameter groups (Get-DbParameter, Set-DbParameter).</summary>
    protected DbParameterOperations Parameters => _parameters ??= new DbParameterOperations(Client);

    /// <summary>Reboots and class changes (Restart-DbInstance, Set-DbInstanceClass).</summary>
    protected DbInstanceMaintenance Maintenance => _maintenance ??= new DbInstanceMaintenance(Client);

    /// <summary>Security groups and subnets (Get-DbSecurityGroup): RDS and, opened on first use, EC2.</summary>
    protected DbNetworkReader Network => _network ??= new DbNetworkReader(Client, OpenEc2(_ec2));

    /// <summary>Pending maintenance actions (Get-DbPendingMaintenance, Invoke-DbPendingMaintenance).</summary>
    protected DbPendingMaintenanceOperations PendingMaintenance => _pendingMaintenance ??= new DbPendingMaintenanceOperations(Client);

    /// <summary>Resolves region, credentials and endpoint here, on the pipeline thread (they go to the verbose stream), before any engine work.</summary>
    protected override void BeginProcessingCore() => _ = Rds;

    /// <summary>RDS clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<RdsClient>.Open;

    /// <summary>Disposed when the pipeline ends, however it ends (see <see cref="OpsCommandBase.Dispose"/>).</summary>
    protected override void ReleaseResources()
    {
        _client.Release();
        _ec2.Release();
    }

    /// <summary>The DB instance id from the parameter or the context (DbInstanceId), validated by RDS's rules.</summary>
    protected string InstanceId(string? given, string parameter = "DbInstanceId")
    {
        var id = Setting(given, parameter, c => c.DbInstanceId)?.Value
                 ?? throw new OpsException("DbInstanceIdNotSet", OpsErrorCategory.InvalidArgument,
                     $"No DB instance: give -{parameter}, or set DbInstanceId in the context (Set-OpsContext -DbInstanceId).");
        RdsIdentifiers.ValidateInstanceId(id, parameter);
        return id;
    }

    /// <summary>Waits through the engine's waiter (see <see cref="AwsCommandBase.WaitOnAws{T}"/>); Ctrl+C says what AWS is still doing and how to check it.</summary>
    protected T WaitFor<T>(string target, string what, Func<IProgress<WaitProgress>, CancellationToken, Task<T>> wait, string checkWith) =>
        WaitOnAws(target, wait, (elapsed, status) => $"Stopped waiting for {what} after {Waiter.Format(elapsed)}; on AWS it is still in progress " +
                                                     $"(last status: {status}). Nothing was undone. Check with {checkWith}.");

    /// <summary>Waits until the DB instance is available (Write-Progress; Ctrl+C says it is still changing on AWS), as Wait-DbInstance does.</summary>
    protected DbInstance WaitForInstance(string id, TimeSpan timeout) =>
        WaitFor(id, $"instance {id}", (progress, ct) => Rds.WaitInstanceAsync(id, timeout, progress, ct), $"Get-DbInstance {id} or Wait-DbInstance {id}");

    /// <summary>Hashtable of tags (-Tag @{ key = 'value' }) as a string dictionary.</summary>
    protected static Dictionary<string, string>? TagsOf(System.Collections.Hashtable? tags) =>
        tags?.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => e.Key.ToString() ?? "", e => e.Value?.ToString() ?? "", StringComparer.Ordinal);
}
