using System.Management.Automation;
using RealEstateOps.Commands.Postgres;
using RealEstateOps.Engine.Backup;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.S3;

namespace RealEstateOps.Commands.Backup;

/// <summary>Base of Export-Database and Import-Database: the database connection (parameters over the context, password from -Credential or the password file) and S3 on demand.</summary>
public abstract class BackupCommandBase : AwsCommandBase
{
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    private S3ArtifactStore? _s3;

    /// <summary>The database connection: parameters over the context, the password from -Credential or the context's password file (see <see cref="DbConnectionSettings"/>).</summary>
    protected DbConnectionRequest Connection(string? host, int? port, string? database) =>
        DbConnectionVerbose.Resolve(this, ActiveContext, new DbConnectionParameters
        {
            HostName = host, Port = port, Database = database, CredentialUser = Credential?.UserName,
            Password = Credential?.GetNetworkCredential().Password, Timeout = TimeSpan.FromSeconds(10),
        });

    /// <summary>A file path resolved against the current PowerShell location, or an s3:// location as given; any other URL is BackupLocationInvalid.</summary>
    protected BackupLocation Location(string text, string parameter)
    {
        BackupLocation.EnsureSupported(text, parameter);
        return BackupLocation.Parse(BackupLocation.IsS3Url(text) ? text : SessionState.Path.GetUnresolvedProviderPathFromPSPath(text));
    }

    /// <summary>
    /// The S3 side for an s3:// location, resolved here on the pipeline thread (region, credentials and
    /// endpoint go to verbose); null for a file, which needs no AWS credentials.
    /// </summary>
    protected Func<IArtifactStore>? S3For(BackupLocation location)
    {
        if (!location.IsS3) return null;
        var store = S3Store();
        return () => store;
    }

    /// <summary>The command's S3 artifact store, opened here on the pipeline thread on first use (settings go to verbose).</summary>
    protected IArtifactStore S3Store() => _s3 ??= S3ArtifactStore.Create(Aws("s3"), onRetry: RetryNote("S3"));

    protected override void EndProcessingCore() => _s3?.Dispose();
}
