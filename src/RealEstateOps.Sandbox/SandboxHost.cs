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
using RealEstateOps.Engine.Sandbox;
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
    /// <summary>The incident store's own server (started with the platform's, in parallel), when the sandbox runs its own.</summary>
    private LocalPostgresServer? _incidentPostgres;

    private SandboxHost(WebApplication app, SandboxContext context, LocalPostgresServer? ownPostgres, Uri baseUrl, IReadOnlyList<ISandboxService> services)
    {
        _app = app;
        Services = services;
        Context = context;
        _ownPostgres = ownPostgres;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    /// <summary>The same services over TLS (the Kubernetes API for kubectl), with <see cref="Certificate"/>.</summary>
    public Uri TlsUrl { get; private init; } = null!;
    /// <summary>The self-signed certificate of this start (its public part goes into the kubeconfig).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate { get; private init; } = null!;
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
        LocalPostgresServer? incidentPostgres = null;
        var adminConnection = options.PostgresConnectionString;
        var startOwnPostgres = string.IsNullOrWhiteSpace(adminConnection);
        // The state folder holds the pgpass file and (not as root) the server: refused before anything is made there
        // when it could reach pg_ctl's shell; then 0700 and ours, or refused.
        if (startOwnPostgres) PgServerFolder.RequireSafePath(Path.GetFullPath(options.StateDir), "sandbox state folder");
        UnixFiles.EnsurePrivateFolder(options.StateDir, "SandboxStateDirNotOwned");
        if (startOwnPostgres)
        {
            // The previous sandbox's server (recorded here), when its folder still carries the recorded marker.
            var previous = await PgServerFolder.StopRecordedAsync(options.StateDir, ct);
            if (previous is not null) logger?.CreateLogger("Sandbox").LogInformation("Previous PostgreSQL: {Outcome}", previous);
            // The incident store's server starts next to the platform's (in parallel): its own folder and record.
            var incidentFolder = Path.Combine(options.StateDir, Engine.Sandbox.SandboxInfo.IncidentStoreFolder);
            UnixFiles.EnsurePrivateFolder(incidentFolder, "SandboxStateDirNotOwned");
            await PgServerFolder.StopRecordedAsync(incidentFolder, ct);
            var platformStart = LocalPostgresServer.StartAsync(NewPostgresRoot(options.StateDir), 0, ct, archiveWal: true);
            var incidentStart = LocalPostgresServer.StartAsync(NewPostgresRoot(incidentFolder), 0, ct);
            try { await Task.WhenAll(platformStart, incidentStart); }
            catch
            {
                foreach (var started in new[] { platformStart, incidentStart }.Where(t => t.IsCompletedSuccessfully)) await started.Result.DisposeAsync();
                throw;
            }
            ownPostgres = platformStart.Result;
            ownPostgres.WriteRecord(options.StateDir);
            incidentPostgres = incidentStart.Result;
            incidentPostgres.WriteRecord(incidentFolder);
            adminConnection = ownPostgres.AdminConnectionString;
        }

        try
        {
            var clock = new SandboxClock(options.Speed);
            var context = new SandboxContext(options, clock, new FaultInjector(options.FaultRate), new RequestCounter());
            var platformSetup = PlatformDatabase.EnsureAsync(adminConnection, options.DatabaseName, options.AppUser, options.StateDir, ct);
            var incidentSetup = Incident.IncidentDatabase.EnsureAsync(incidentPostgres?.AdminConnectionString ?? adminConnection,
                options.IncidentDatabaseName ?? (incidentPostgres is not null ? "ops" : options.DatabaseName + "_ops"),
                options.IncidentUser ?? (incidentPostgres is not null ? "ops" : options.AppUser + "_ops"), options.StateDir, ct);
            await Task.WhenAll(platformSetup, incidentSetup);
            context.Platform = platformSetup.Result;
            context.Incidents = incidentSetup.Result;
            context.OwnPostgres = ownPostgres;

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "RealEstateOps.Sandbox" });
            builder.Logging.ClearProviders();
            if (logger is not null) builder.Logging.AddProvider(logger);
            var certificate = Security.SandboxCertificate.Create();
            context.CertificatePem = Security.SandboxCertificate.PemOf(certificate);
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.Listen(IPAddress.Loopback, options.Port);
                // The same services over TLS on a second loopback port, with a certificate made for this start:
                // kubectl sends its bearer token only over TLS, so the kubeconfig points here.
                k.Listen(IPAddress.Loopback, options.TlsPort, o => o.UseHttps(certificate));
                k.Limits.MaxRequestBodySize = null;
            });
            var services = SandboxServices.All(options).ToList();
            var infoSource = new SandboxInfoSource();
            builder.Services.AddSingleton(infoSource);
            var app = builder.Build();
            app.Use(SecurityMiddleware(context, services));
            app.Use(FaultAndCountMiddleware(context, services));
            // The exec subresource's WebSocket channel protocol (Kubernetes/KubePodExec).
            app.UseWebSockets();
            ControlEndpoints.Map(app, context, services);
            Monitoring.MonitoringEndpoints.Map(app, context);
            foreach (var service in services) service.Map(app, context);
            if (services.OfType<Kubernetes.KubernetesService>().FirstOrDefault() is { Store: { } kubeStore } kubernetes)
            {
                context.Metrics = new Monitoring.PlatformMetrics(kubeStore, new Monitoring.PlatformTraffic(context.Faults), context.Platform.AdminConnectionString);
                kubernetes.Admissions.Add(new Monitoring.PrometheusRuleController(context));
                // SMI TrafficSplit's schema checks (any served version).
                kubernetes.Admissions.Add(new Kubernetes.TrafficSplitValidation());
                context.Kubernetes = kubernetes;
            }
            await app.StartAsync(ct);

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            Uri Url(string scheme) => new(addresses.First(a => a.StartsWith(scheme + "://", StringComparison.Ordinal)).Replace("[::1]", "127.0.0.1").TrimEnd('/') + "/");
            var url = Url("http");
            var host = new SandboxHost(app, context, ownPostgres, url, services) { TlsUrl = Url("https"), Certificate = certificate, _incidentPostgres = incidentPostgres };
            context.KubernetesUrl = host.TlsUrl;
            await StartMonitoringAsync(context, url, logger?.CreateLogger("Sandbox.Monitoring"), ct);
            infoSource.Info = host.Info;
            return host;
        }
        catch
        {
            if (ownPostgres is not null)
            {
                await ownPostgres.DisposeAsync();
                if (!Directory.Exists(ownPostgres.Root)) File.Delete(Path.Combine(options.StateDir, PgServerFolder.RecordFileName));
            }
            await DisposeIncidentServerAsync(incidentPostgres, options.StateDir);
            throw;
        }
    }

    /// <summary>
    /// Prometheus and Alertmanager (<see cref="Monitoring.MonitoringStack"/>), when asked for and installed: the sandbox starts
    /// without them otherwise, and <see cref="SandboxContext.MonitoringMessage"/> says why.
    /// </summary>
    private static async Task StartMonitoringAsync(SandboxContext context, Uri url, ILogger? log, CancellationToken ct)
    {
        // A previous start's programs (recorded here), while they are still those processes: stopped whether or not this one monitors.
        var previous = await SandboxMonitoringRecord.StopRecordedAsync(Path.GetFullPath(context.Options.StateDir), ct);
        if (previous is not null) log?.LogInformation("Previous monitoring: {Outcome}", previous);
        if (Monitoring.MonitoringStack.WhyOff(context.Options) is { } off)
        {
            context.MonitoringMessage = off;
            log?.LogInformation("{Message}", off);
            return;
        }
        try
        {
            // Every PrometheusRule the Kubernetes sandbox holds (platform-alerts is seeded), as prometheus-operator writes them.
            var rules = context.Metrics is not null && context.Kubernetes?.Store is { } store
                ? Monitoring.PrometheusRuleController.Files(store)
                : new Dictionary<string, string>();
            context.Monitoring = await Monitoring.MonitoringStack.StartAsync(context.Options, url, context.Options.Secrets.ControlToken, rules, log, ct);
            context.MonitoringMessage = $"Prometheus at {context.Monitoring.PrometheusUrl}, Alertmanager at {context.Monitoring.AlertmanagerUrl} (folder {context.Monitoring.Folder}).";
            log?.LogInformation("{Message}", context.MonitoringMessage);
        }
        catch (OpsException ex)
        {
            context.MonitoringMessage = $"Monitoring is off: it did not start ({ex.ErrorId}: {ex.Message}).";
            log?.LogWarning("{Message}", context.MonitoringMessage);
        }
    }

    /// <summary>
    /// A new folder for the sandbox's own PostgreSQL, under a random name: in the state folder, except as root, where
    /// the server runs as the 'postgres' user, which cannot enter a home folder (0700): then in the temp folder
    /// (the folder itself is 0700 and postgres's). Where it is, and its marker, are recorded in the state folder
    /// (<see cref="PgServerFolder.RecordFileName"/>) so a restart finds and stops it.
    /// </summary>
    internal static string NewPostgresRoot(string stateDir)
    {
        var suffix = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        return Engine.Common.ProcessRunner.IsRoot
            ? Path.Combine(Path.GetTempPath(), "realestateops-sandbox-pg-" + suffix)
            : Path.Combine(Path.GetFullPath(stateDir), "postgres-" + suffix);
    }

    /// <summary>
    /// Before anything else sees a request: the Host header must name this sandbox on loopback (421
    /// otherwise), the control endpoints need the control token (401), and every other request must
    /// belong to a service that authenticates it (SigV4 for S3 and RDS, bearer tokens for Kubernetes),
    /// else it is refused in the wire format a client of that address expects.
    /// </summary>
    private static Func<HttpContext, RequestDelegate, Task> SecurityMiddleware(SandboxContext sandbox, IReadOnlyList<ISandboxService> services) =>
        async (http, next) =>
        {
            if (!Security.HostFilter.IsAllowed(http.Request.Headers.Host.ToString(), http.Connection.LocalPort))
            {
                await Security.HostFilter.RefuseAsync(http, http.Connection.LocalPort);
                return;
            }
            if (http.Request.Path.StartsWithSegments(ControlEndpoints.Prefix))
            {
                if (Security.ControlToken.IsOpen(http.Request.Path)) { await next(http); return; }
                var presented = Security.ControlToken.Presented(http.Request);
                if (!Security.ControlToken.Matches(presented, sandbox.Options.Secrets.ControlToken))
                {
                    await Security.ControlToken.RefuseAsync(http, presented is not null);
                    return;
                }
                await next(http);
                return;
            }
            var service = services.FirstOrDefault(s => s.Owns(http.Request));
            if (service is null)
            {
                await RefuseUnownedAsync(http, services);
                return;
            }
            if (!await service.AuthenticateAsync(http, sandbox)) return;
            await next(http);
        };

    /// <summary>
    /// A request no service claims: unsigned, or signed for a service the sandbox does not emulate. Refused
    /// as RDS would (a Query-protocol POST /) or as S3 would (anything else).
    /// </summary>
    private static Task RefuseUnownedAsync(HttpContext http, IReadOnlyList<ISandboxService> services)
    {
        var credential = Security.SigV4Verifier.CredentialOf(http.Request);
        var query = HttpMethods.IsPost(http.Request.Method) && http.Request.Path == "/" && !http.Request.Headers.ContainsKey("x-amz-content-sha256");
        var shape = services.FirstOrDefault(s => s.Name == (query ? "rds" : "s3")) ?? services.FirstOrDefault(s => s.Name is "s3" or "rds");
        var (code, message) = credential is not null
            ? ("AccessDenied", $"This sandbox does not serve the '{credential.Service}' service (it serves {string.Join(", ", services.Select(s => s.Name))}).")
            : query ? ("MissingAuthenticationToken", "Request is missing Authentication Token: the sandbox accepts only requests signed with its own keys (AWS Signature Version 4).")
            : ("AccessDenied", "Access Denied: the sandbox accepts only requests signed with its own keys (AWS Signature Version 4).");
        if (shape is not null) return shape.WriteErrorAsync(http, 403, code, message);
        http.Response.StatusCode = 403;
        return http.Response.WriteAsync(code + ": " + message);
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

    /// <summary>What this sandbox handed to its clients (<see cref="Publish"/>), or null when it did not publish.</summary>
    public SandboxClients? Clients { get; private set; }

    /// <summary>
    /// Writes the files clients read (control token, AWS credentials, kubeconfig: <see cref="SandboxClientFiles"/>) into the
    /// state folder, then <paramref name="infoFile"/>: what <see cref="Info"/> says, naming those files (0600, written last,
    /// so a launcher that sees it finds everything in place). Secrets are in the clients' files only.
    /// </summary>
    public void Publish(string infoFile)
    {
        Clients = SandboxClientFiles.Write(Context.Options.StateDir, Context.Options.Secrets, TlsUrl, Security.SandboxCertificate.PemOf(Certificate));
        LangfuseSecretKeyFile = Langfuse.LangfuseKeyFile.Write(Context.Options.StateDir, Context.Options.Secrets);
        ArgoCdTokenFile = ArgoCd.ArgoCdTokenFile.Write(Context.Options.StateDir, Context.Options.Secrets);
        NotificationFiles = Notification.NotificationSecretFiles.Write(Context.Options.StateDir, Context.Options.Secrets, BaseUrl);
        FileUtil.WriteAtomic(infoFile, JsonSerializer.Serialize(Info(), Json), ownerOnly: true);
    }

    /// <summary>The 0600 files holding the sandbox's webhook URLs and PagerDuty routing key, once published (the info file names them).</summary>
    public Notification.NotificationSecretFiles.Files? NotificationFiles { get; private set; }

    /// <summary>The 0600 file holding the Langfuse secret key, once published (the info file names it).</summary>
    public string? LangfuseSecretKeyFile { get; private set; }

    /// <summary>The 0600 file holding the Argo CD token, once published (the info file names it).</summary>
    public string? ArgoCdTokenFile { get; private set; }

    public object Info() => new
    {
        name = "RealEstateOps.Sandbox",
        version = typeof(SandboxHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        url = BaseUrl.ToString(),
        port = BaseUrl.Port,
        tls = new { url = TlsUrl.ToString(), port = TlsUrl.Port, certificatePem = Security.SandboxCertificate.PemOf(Certificate) },
        processId = Environment.ProcessId,
        startedAt = StartedAt,
        speed = Context.Clock.Speed,
        faultRate = Context.Options.FaultRate,
        services = Services.Select(s => s.Name).ToArray(),
        platformServices = Monitoring.PlatformTraffic.Services.Select(s => s.Name).ToArray(),
        clients = Clients,
        langfuse = new { url = BaseUrl.ToString(), publicKey = Context.Options.Secrets.LangfusePublicKey, secretKeyFile = LangfuseSecretKeyFile },
        argocd = Services.OfType<ArgoCd.ArgoCdService>().FirstOrDefault() is { Repository: { } repository } argo
            ? new { url = BaseUrl.ToString(), tokenFile = ArgoCdTokenFile, repository = repository.Folder, application = ArgoCd.ArgoCdSeed.ApplicationName, available = argo.Ready.IsCompletedSuccessfully }
            : null,
        notifications = NotificationFiles is { } n
            ? new { slackWebhookUrlFile = n.SlackWebhookUrlFile, teamsWebhookUrlFile = n.TeamsWebhookUrlFile, pagerDutyRoutingKeyFile = n.PagerDutyRoutingKeyFile, pagerDutyEndpoint = n.PagerDutyEndpoint }
            : null,
        database = new
        {
            host = Platform.Host, port = Platform.Port, name = Platform.Database, user = Platform.User,
            passFile = Platform.PassFile, pgVector = Platform.PgVector, serverVersion = Platform.ServerVersion,
            ownServer = _ownPostgres is not null,
        },
        incidents = Context.Incidents is { } incidents
            ? new { host = incidents.Host, port = incidents.Port, name = incidents.Database, user = incidents.User, passFile = incidents.PassFile, ownServer = _incidentPostgres is not null }
            : null,
        monitoring = Context.Monitoring is { } m ? new { prometheusUrl = m.PrometheusUrl.ToString(), alertmanagerUrl = m.AlertmanagerUrl.ToString() } : null,
        monitoringMessage = Context.MonitoringMessage,
    };

    public async ValueTask DisposeAsync()
    {
        if (Context.Monitoring is { } monitoring) await monitoring.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
        if (_ownPostgres is not null)
        {
            await _ownPostgres.DisposeAsync();
            if (!Directory.Exists(_ownPostgres.Root)) File.Delete(Path.Combine(Context.Options.StateDir, PgServerFolder.RecordFileName));
        }
        await DisposeIncidentServerAsync(_incidentPostgres, Context.Options.StateDir);
    }

    private static async Task DisposeIncidentServerAsync(LocalPostgresServer? server, string stateDir)
    {
        if (server is null) return;
        await server.DisposeAsync();
        var record = Path.Combine(stateDir, Engine.Sandbox.SandboxInfo.IncidentStoreFolder, PgServerFolder.RecordFileName);
        if (!Directory.Exists(server.Root)) File.Delete(record);
    }
}
