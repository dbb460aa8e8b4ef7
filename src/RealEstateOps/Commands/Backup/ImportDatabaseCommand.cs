using System.Management.Automation;
using RealEstateOps.Engine.Backup;

namespace RealEstateOps.Commands.Backup;

/// <summary>pg_restore of an Export-Database archive (file or s3://) into a target database: the way to prove a backup restores.</summary>
[Maintenance.MaintenanceWindow("Database")]
[Cmdlet(VerbsData.Import, "Database", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DatabaseImport))]
public sealed class ImportDatabaseCommand : BackupCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Location")]
    public string Source { get; set; } = "";

    /// <summary>The SHA-256 the archive must have (binds from a BackupArtifact); checked before anything is restored.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Sha256 { get; set; }

    /// <summary>The target database; always explicit, never taken from a piped artifact or the context.</summary>
    [Parameter(Mandatory = true)]
    public string Database { get; set; } = "";

    [Parameter]
    [Alias("Address", "DbHost")]
    public string? HostName { get; set; }

    [Parameter] public int? Port { get; set; }

    [Parameter] public string? PgRestorePath { get; set; }

    /// <summary>
    /// Replace a target that already has tables: pg_restore --clean --if-exists drops every object the archive holds
    /// (tables with their rows, views, functions, ...) and restores the archive's copies; objects the archive does not
    /// hold stay. Without it a non-empty target is refused (DbTargetNotEmpty).
    /// </summary>
    [Parameter] public SwitchParameter Replace { get; set; }

    /// <summary>
    /// Workers of a parallel import: 1 (the default) restores one archive with pg_restore in one transaction; 2 or more restore an
    /// Export-Database -Jobs prefix (s3://bucket/prefix): every file's SHA-256 is verified against the manifest first, then the
    /// rows load in that many workers whose transactions commit together, then indexes and constraints with pg_restore -j.
    /// Binds from a piped BackupArtifact, so a parallel export pipes into its parallel import.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 32)]
    public int Jobs { get; set; } = 1;

    /// <summary>Skips the confirmation prompt only; it never replaces a non-empty target (that is -Replace).</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var source = Location(Source, nameof(Source));
        var request = new ImportRequest
        {
            Connection = Connection(HostName, Port, Database), Source = source, Replace = Replace, PgRestorePath = PgRestorePath,
            S3 = S3For(source), ExpectedSha256 = Sha256, Jobs = Jobs,
        };
        Run(ct => DatabaseImporter.CheckAsync(request, ct));
        var result = Change($"{request.Connection.Host}:{request.Connection.Port}/{Database}", Replace ? $"Restore {source} into the database with pg_restore, dropping and replacing the objects it holds (-Replace)" : $"Restore {source} into the database with pg_restore",
            ct => DatabaseImporter.ImportAsync(request, Listener, ct), Force);
        if (result is not null) WriteObject(result);
    }
}
