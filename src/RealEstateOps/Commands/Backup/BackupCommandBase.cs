using System.Management.Automation;
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

    protected DbConnectionRequest Connection(string? host, int? port, string? database)
    {
        var h = Setting(host, "HostName", c => c.DbHost);
        var p = Setting(port, "Port", c => c.DbPort);
        var d = Setting(database, "Database", c => c.DbName);
        var user = Credential is not null ? Credential.UserName : Setting(null, "User", c => c.DbUser)?.Value;
        string? passFile = null;
        if (Credential is not null) WriteVerbose("Password: from -Credential (handed to pg_dump/pg_restore in a password file of its own).");
        else if (ActiveContext.Resolve(null, "DbPassFile", c => c.DbPassFile) is { } pf)
        {
            passFile = pf.Value;
            WriteVerbose($"Password: from the password file {pf.Value} (from {pf.Source}).");
        }
        else WriteVerbose("Password: none given; PGPASSFILE or ~/.pgpass apply if set.");
        return new DbConnectionRequest
        {
            Host = h?.Value, Port = p?.Value, Database = d?.Value, User = user, Password = Credential?.GetNetworkCredential().Password,
            PassFile = passFile, Timeout = TimeSpan.FromSeconds(10), SslRootCert = SslRootCert(),
        };
    }

    /// <summary>The context's CA bundle for verify-full TLS to a remote database (said in verbose output).</summary>
    protected string? SslRootCert()
    {
        var root = ActiveContext.Resolve(null, "DbSslRootCert", c => c.DbSslRootCert);
        if (root is not null) WriteVerbose($"TLS: CA bundle {root.Value.Value} (from {root.Value.Source}) for a database host that is not this machine, unless PGSSLMODE/PGSSLROOTCERT are set.");
        return root?.Value;
    }

    /// <summary>A file path resolved against the current PowerShell location, or an s3:// location as given.</summary>
    protected BackupLocation Location(string text) =>
        BackupLocation.Parse(text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) ? text : SessionState.Path.GetUnresolvedProviderPathFromPSPath(text));

    /// <summary>
    /// The S3 side for an s3:// location, resolved here on the pipeline thread (region, credentials and
    /// endpoint go to verbose); null for a file, which needs no AWS credentials.
    /// </summary>
    protected Func<IArtifactStore>? S3For(BackupLocation location)
    {
        if (!location.IsS3) return null;
        var store = _s3 ??= S3ArtifactStore.Create(Aws("s3"), onRetry: (request, attempt, reason, delay) =>
            EmitVerbose($"S3: attempt {attempt} failed ({reason}); retrying in {delay.TotalMilliseconds:0} ms."));
        return () => store;
    }

    protected override void EndProcessingCore() => _s3?.Dispose();
}
