using RealEstateOps.Sandbox;

namespace RealEstateOps.Engine.Tests.Support;

/// <summary>A sandbox hosted in-process on the test PostgreSQL server, with a database of its own.</summary>
public class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;
    public string StateDir { get; } = Path.Combine(Path.GetTempPath(), "reo-sandbox-" + Guid.NewGuid().ToString("N")[..8]);
    public HttpClient Http { get; } = new();

    /// <summary>Extra services the test class wants hosted (set in the derived fixture's constructor).</summary>
    protected virtual IEnumerable<ISandboxService> ExtraServices => Array.Empty<ISandboxService>();

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions
        {
            PostgresConnectionString = await TestPostgres.AdminConnectionStringAsync(),
            StateDir = StateDir,
            DatabaseName = TestPostgres.UniqueName("rea"),
            AppUser = TestPostgres.UniqueName("app"),
        };
        options.ExtraServices.AddRange(ExtraServices);
        Host = await SandboxHost.StartAsync(options);
        Http.BaseAddress = Host.BaseUrl;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try { Directory.Delete(StateDir, true); } catch (IOException) { }
    }
}
