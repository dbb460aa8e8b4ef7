using System.Net;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Sandbox.Control;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Sandbox;

/// <summary>
/// The sandbox: Kestrel on loopback, the emulated services, the control endpoints under /_sandbox,
/// and the platform database on a real PostgreSQL server (its own, or one it is pointed at).
/// Hosted by its program for Start-OpsSandbox, or in-process by tests.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    private readonly WebApplication _app;
    private readonly LocalPostgresServer? _ownPostgres;

    private SandboxHost(WebApplication app, SandboxContext context, LocalPostgresServer? ownPostgres, Uri baseUrl, IReadOnlyList<ISandboxService> services)
    {
        _app = app;
        Services = services;
        Context = context;
        _ownPostgres = ownPostgres;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    /// <summary>The emulated services this sandbox hosts (created once, at start).</summary>
    public IReadOnlyList<ISandboxService> Services { get; }
    public SandboxContext Context { get; }
    public PlatformDatabase Platform => Context.Platform!;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Completes when the sandbox is asked to shut down (POST /_sandbox/shutdown) or stopped.</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public static async Task<SandboxHost> StartAsync(SandboxOptions options, ILoggerProvider? logger = null, CancellationToken ct = default)
    {
        options.Validate();
        LocalPostgresServer? ownPostgres = null;
        var adminConnection = options.PostgresConnectionString;
        var startOwnPostgres = string.IsNullOrWhiteSpace(adminConnection);
        // The state folder holds the pgpass file and (not as root) the server: refused before anything is made there
        // when it could reach pg_ctl's shell; then 0700 and ours, or refused.
        if (startOwnPostgres) LocalPostgresServer.RequireSafePath(Path.GetFullPath(options.StateDir), "sandbox state folder");
        UnixFiles.EnsurePrivateFolder(options.StateDir, "SandboxStateDirNotOwned");
        if (startOwnPostgres)
        {
            // The previous sandbox's server (recorded here), when its folder still carries the recorded marker.
            var previous = await LocalPostgresServer.StopRecordedAsync(options.StateDir, ct);
            if (previous is not null) logger?.CreateLogger("Sandbox").LogInformation("Previous PostgreSQL: {Outcome}", previous);
            ownPostgres = await LocalPostgresServer.StartAsync(NewPostgresRoot(options.StateDir), 0, ct);
            ownPostgres.WriteRecord(options.StateDir);
            adminConnection = ownPostgres.AdminConnectionString;
        }

        try
        {
            var clock = new SandboxClock(options.Speed);
            var context = new SandboxContext(options, clock, new FaultInjector(options.FaultRate), new RequestCounter());
            context.Platform = await PlatformDatabase.EnsureAsync(adminConnection, options.DatabaseName, options.AppUser, options.StateDir, ct);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "RealEstateOps.Sandbox" });
            builder.Logging.ClearProviders();
            if (logger is not null) builder.Logging.AddProvider(logger);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, options.Port);
                k.Limits.MaxRequestBodySize = null;
            });
            var services = SandboxServices.All(options).ToList();
            var infoSource = new SandboxInfoSource();
            builder.Services.AddSingleton(infoSource);
            var app = builder.Build();
            app.Use(FaultAndCountMiddleware(context, services));
            ControlEndpoints.Map(app, context, services);
            foreach (var service in services) service.Map(app, context);
            await app.StartAsync(ct);

            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var url = new Uri(address.Replace("[::1]", "127.0.0.1").TrimEnd('/') + "/");
            var host = new SandboxHost(app, context, ownPostgres, url, services);
            infoSource.Info = host.Info;
            return host;
        }
        catch
        {
            if (ownPostgres is not null)
            {
                await ownPostgres.DisposeAsync();
                if (!Directory.Exists(ownPostgres.Root)) File.Delete(Path.Combine(options.StateDir, LocalPostgresServer.RecordFileName));
            }
            throw;
        }
    }

    /// <summary>
    /// A new folder for the sandbox's own PostgreSQL, under a random name: in the state folder, except as root, where
    /// the server runs as the 'postgres' user, which cannot enter a home folder (0700): then in the temp folder
    /// (the folder itself is 0700 and postgres's). Where it is, and its marker, are recorded in the state folder
    /// (<see cref="LocalPostgresServer.RecordFileName"/>) so a restart finds and stops it.
    /// </summary>
    internal static string NewPostgresRoot(string stateDir)
    {
        var suffix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        return Engine.Common.ProcessRunner.IsRoot
            ? Path.Combine(Path.GetTempPath(), "realestateops-sandbox-pg-" + suffix)
            : Path.Combine(Path.GetFullPath(stateDir), "postgres-" + suffix);
    }

    private static Func<HttpContext, RequestDelegate, Task> FaultAndCountMiddleware(SandboxContext sandbox, IReadOnlyList<ISandboxService> services) =>
        async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(ControlEndpoints.Prefix)) { await next(http); return; }
            var service = services.FirstOrDefault(s => s.Owns(http.Request));
            if (service is null) { await next(http); return; }
            sandbox.Requests.Count(service.Name, service.OperationOf(http.Request));
            var decision = sandbox.Faults.Decide(service.Name, service.ThrottleFault);
            if (decision.Latency > TimeSpan.Zero) await Task.Delay(decision.Latency, http.RequestAborted);
            switch (decision.Action)
            {
                case FaultAction.Drop:
                    sandbox.Requests.CountFault();
                    http.Abort();
                    return;
                case FaultAction.Error:
                    sandbox.Requests.CountFault();
                    if (decision.Error!.Status is 429 or 503) http.Response.Headers.RetryAfter = "1";
                    await service.WriteErrorAsync(http, decision.Error.Status, decision.Error.Code, "Fault injected by the sandbox.");
                    return;
                default:
                    await next(http);
                    return;
            }
        };

    public object Info() => new
    {
        name = "RealEstateOps.Sandbox",
        version = typeof(SandboxHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        url = BaseUrl.ToString(),
        port = BaseUrl.Port,
        processId = Environment.ProcessId,
        startedAt = StartedAt,
        speed = Context.Clock.Speed,
        faultRate = Context.Options.FaultRate,
        services = Services.Select(s => s.Name).ToArray(),
        database = new
        {
            host = Platform.Host, port = Platform.Port, name = Platform.Database, user = Platform.User,
            passFile = Platform.PassFile, pgVector = Platform.PgVector, serverVersion = Platform.ServerVersion,
            ownServer = _ownPostgres is not null,
        },
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownPostgres is not null)
        {
            await _ownPostgres.DisposeAsync();
            if (!Directory.Exists(_ownPostgres.Root)) File.Delete(Path.Combine(Context.Options.StateDir, LocalPostgresServer.RecordFileName));
        }
    }
}
