using System.Text.Json;
using Npgsql;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Cmdlets.Tests.Support;

/// <summary>The test run's PostgreSQL server (build.ps1 starts it), or one started here when run alone.</summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Admin = new(StartOrAttach);

    public static NpgsqlConnectionStringBuilder AdminBuilder => new(Admin.Value);
    public static string AdminConnectionString => Admin.Value;

    private static string StartOrAttach()
    {
        var info = Environment.GetEnvironmentVariable("REALESTATEOPS_TEST_PG_INFO");
        if (!string.IsNullOrEmpty(info) && File.Exists(info))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(info));
            return doc.RootElement.GetProperty("connectionString").GetString()!;
        }
        var server = LocalPostgresServer.StartAsync(Path.Combine(Path.GetTempPath(), "reo-cmdlet-pg-" + Guid.NewGuid().ToString("N")[..8])).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server.AdminConnectionString;
    }
}
