using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Sandbox.Security;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Engine.Tests.Support;

/// <summary>A sandbox hosted in-process on the test PostgreSQL server, with a database of its own.</summary>
public class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;
    public string StateDir { get; } = Path.Combine(Path.GetTempPath(), "reo-sandbox-" + Guid.NewGuid().ToString("N")[..8]);
    /// <summary>A client for the control endpoints (/_sandbox/...): it carries the sandbox's control token.</summary>
    public HttpClient Http { get; } = new();
    /// <summary>The control token, Kubernetes tokens and AWS keys this sandbox accepts (random for each start).</summary>
    public SandboxSecrets Secrets => Host.Context.Options.Secrets;

    /// <summary>Changes a derived fixture makes to the options before the start (e.g. turning monitoring on).</summary>
    protected virtual void Configure(SandboxOptions options) { }

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
        Configure(options);
        Host = await SandboxHost.StartAsync(options);
        Http.BaseAddress = Host.BaseUrl;
        Http.DefaultRequestHeaders.Add(RealEstateOps.Sandbox.Security.ControlToken.HeaderName, Secrets.ControlToken);
    }

    /// <summary>Where an AWS client of <paramref name="service"/> reaches this sandbox, with its full-access key (or the secret given).</summary>
    public AwsTarget Target(string service, string region = "us-east-1", string? accessKey = null, string? secret = null)
    {
        accessKey ??= Secrets.AccessKeyId;
        secret ??= Secrets.SecretFor(accessKey) ?? "no-such-secret";
        return new AwsTarget(service, new Resolved<string>(region, "test"), new Resolved<string>(Host.BaseUrl.ToString(), "test"),
            new Amazon.Runtime.BasicAWSCredentials(accessKey, secret), "test");
    }

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        try { Directory.Delete(StateDir, true); } catch (IOException) { }
    }
}
