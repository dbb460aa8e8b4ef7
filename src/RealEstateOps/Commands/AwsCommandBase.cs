using System.Diagnostics;
using System.Management.Automation;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands;

/// <summary>
/// Base of every AWS cmdlet: -Region, -ProfileName and -EndpointUrl (each defaulting from the active
/// context), -AllowInsecureEndpoint (plain http to another host, this command only), resolved once per command, with -Verbose saying where region, credentials and endpoint came from.
/// </summary>
public abstract class AwsCommandBase : OpsCommandBase
{
    private readonly Dictionary<string, AwsTarget> _targets = new(StringComparer.OrdinalIgnoreCase);

    [Parameter] public string? Region { get; set; }
    [Parameter] public string? ProfileName { get; set; }
    [Parameter] public string? EndpointUrl { get; set; }

    /// <summary>
    /// Accept an endpoint override on plain http:// to a host other than this machine (for this command only;
    /// loopback hosts never need it). Without it such an endpoint is refused (EndpointInsecure).
    /// </summary>
    [Parameter] public SwitchParameter AllowInsecureEndpoint { get; set; }

    /// <summary>Region, credentials and endpoint for one service (s3, rds, eks); a failure here ends the command.</summary>
    protected AwsTarget Aws(string service)
    {
        if (_targets.TryGetValue(service, out var known)) return known;
        var target = AwsResolver.Resolve(service, new AwsParameters(Region, ProfileName, EndpointUrl, AllowInsecureEndpoint), ActiveContext);
        foreach (var line in target.Describe()) WriteVerbose(line + ".");
        _targets[service] = target;
        return target;
    }

    /// <summary>The command's RDS client (one per command, opened on first use; retries said in verbose output).</summary>
    internal RdsClient OpenRds(OwnedClient<RdsClient> owned) => owned.Get(() => RdsClient.Create(Aws("rds"), onRetry: RetryNote("RDS")));

    /// <summary>The command's EC2 client (security groups and subnets), opened like <see cref="OpenRds"/>.</summary>
    internal Ec2Client OpenEc2(OwnedClient<Ec2Client> owned) => owned.Get(() => Ec2Client.Create(Aws("ec2"), onRetry: RetryNote("EC2")));

    /// <summary>The command's S3 client, opened like <see cref="OpenRds"/> (its retries and region lookups go to verbose as events).</summary>
    internal Engine.S3.S3Client OpenS3(OwnedClient<Engine.S3.S3Client> owned) => owned.Get(() => new Engine.S3.S3Client(Aws("s3"), events: Listener));

    /// <summary>
    /// Waits for something AWS goes on doing by itself (a snapshot, a restore, an EKS update) through the engine's waiter,
    /// with Write-Progress through <paramref name="progress"/> (default: this command's activity 1). Ctrl+C stops the wait at
    /// once; nothing of ours is left half-done (the change itself was already made), and the operator is told on the host
    /// what AWS is still doing (<paramref name="stopped"/>(elapsed, last status)). The stop then ends the command as
    /// WaitStopped with the same message: a change with -Wait (ChangeThenWait) journals it in its one entry.
    /// </summary>
    protected T WaitOnAws<T>(object? target, Func<IProgress<WaitProgress>, CancellationToken, Task<T>> wait, Func<TimeSpan, string, string> stopped,
        IProgress<WaitProgress>? progress = null)
    {
        var tracker = new LastStatus(progress ?? WaitProgress());
        var watch = Stopwatch.StartNew();
        try
        {
            return Run(ct => wait(tracker, ct));
        }
        catch (PipelineStoppedException ex) when (Stopping)
        {
            var message = stopped(watch.Elapsed, tracker.Status ?? "unknown");
            try { Host.UI.WriteWarningLine(message); } catch (Exception e) when (e is PipelineStoppedException or InvalidOperationException or NotImplementedException) { }
            // Written as an error while the pipeline stops, it ends the command as the stop it is.
            throw new OpsException("WaitStopped", OpsErrorCategory.OperationStopped, message, target, ex);
        }
    }

    /// <summary>Passes progress on, remembering the last status for the Ctrl+C message.</summary>
    private sealed class LastStatus : IProgress<WaitProgress>
    {
        private readonly IProgress<WaitProgress> _inner;
        public LastStatus(IProgress<WaitProgress> inner) => _inner = inner;
        public string? Status { get; private set; }

        public void Report(WaitProgress value)
        {
            Status = value.Status;
            _inner.Report(value);
        }
    }
}
