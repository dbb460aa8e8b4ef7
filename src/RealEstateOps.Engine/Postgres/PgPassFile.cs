using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Postgres;

/// <summary>
/// A password for a pg program, as a password file of its own (0600, in a fresh temp folder, removed
/// on dispose): the password never appears in argv or the environment.
/// </summary>
public sealed class PgPassFile : IDisposable
{
    private readonly string? _folder;

    private PgPassFile(string? path, string? folder)
    {
        Path = path;
        _folder = folder;
    }

    /// <summary>The file to give as PGPASSFILE, or null (none given: ~/.pgpass applies).</summary>
    public string? Path { get; }

    public static PgPassFile For(Npgsql.NpgsqlConnectionStringBuilder b, string? password, string? existingPassFile)
    {
        if (string.IsNullOrEmpty(password)) return new PgPassFile(string.IsNullOrEmpty(existingPassFile) ? null : existingPassFile, null);
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "reo-pgpass-" + Guid.NewGuid().ToString("N")[..12]);
        FileUtil.CreatePrivateDirectory(folder);
        static string E(string? s) => (s ?? "").Replace("\\", "\\\\").Replace(":", "\\:");
        var file = System.IO.Path.Combine(folder, "pgpass");
        FileUtil.WriteAtomic(file, $"*:*:*:{E(b.Username)}:{E(password)}\n", ownerOnly: true);
        return new PgPassFile(file, folder);
    }

    public void Dispose()
    {
        if (_folder is null) return;
        try
        {
            File.Delete(System.IO.Path.Combine(_folder, "pgpass"));
            Directory.Delete(_folder);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
