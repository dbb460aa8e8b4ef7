using System.Text.Json;
using Npgsql;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Engine.Tests.Support;

/// <summary>
/// The PostgreSQL server tests use: the throwaway one build.ps1 -Task Test started (REALESTATEOPS_TEST_PG_INFO),
/// or, when tests run on their own (dotnet test), one started here for the whole test run.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Admin = new(StartOrAttachAsync);
    private static LocalPostgresServer? _own;

    public static Task<string> AdminConnectionStringAsync() => Admin.Value;

    public static async Task<NpgsqlConnectionStringBuilder> AdminAsync() => new(await Admin.Value);

    private static async Task<string> StartOrAttachAsync()
    {
        var info = Environment.GetEnvironmentVariable("REALESTATEOPS_TEST_PG_INFO");
        if (!string.IsNullOrEmpty(info) && File.Exists(info))
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(info));
            return doc.RootElement.GetProperty("connectionString").GetString()!;
        }
        var root = Path.Combine(Path.GetTempPath(), "reo-test-pg-" + Guid.NewGuid().ToString("N")[..8]);
        _own = await LocalPostgresServer.StartAsync(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _own.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return _own.AdminConnectionString;
    }

    /// <summary>A fresh name for a database or role, so tests sharing the server never collide.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
}
