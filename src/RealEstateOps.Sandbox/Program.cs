using System.Text.Json;
using Microsoft.Extensions.Logging;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Sandbox;
using RealEstateOps.Sandbox.Postgres;

// RealEstateOps.Sandbox                        run the sandbox (options: --port --speed --fault-rate --state-dir --info-file --database --app-user)
// RealEstateOps.Sandbox postgres start --root DIR --info-file FILE   start a throwaway PostgreSQL (used by build.ps1 Test)
// RealEstateOps.Sandbox postgres stop --root DIR                     stop it and remove its folder
try
{
    if (args.Length > 0 && args[0] == "postgres") return await PostgresCommand(args.Skip(1).ToArray());

    var options = SandboxOptions.Parse(args);
    using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss "; })
        .SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning));
    var log = loggerFactory.CreateLogger("Sandbox");
    using var stop = new CancellationTokenSource();
    void Stop() { try { stop.Cancel(); } catch (ObjectDisposedException) { /* already shutting down */ } }
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; Stop(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

    await using var host = await SandboxHost.StartAsync(options, new ForwardingLoggerProvider(loggerFactory), stop.Token);
    // The secrets it made reach its clients only in 0600 files, which the info file names (Start-OpsSandbox reads it).
    host.Publish(options.InfoFilePath);
    log.LogInformation("Clients' files (control token, aws-credentials, kubeconfig) are named in {InfoFile}", options.InfoFilePath);
    log.LogInformation("Sandbox listening on {Url} (speed {Speed}, fault rate {FaultRate}); platform database {Db} on {Host}:{Port}",
        host.BaseUrl, options.Speed, options.FaultRate, host.Platform.Database, host.Platform.Host, host.Platform.Port);
    await Task.WhenAny(host.WaitForShutdownAsync(), Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }));
    log.LogInformation("Sandbox stopping");
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
catch (OpsException ex)
{
    Console.Error.WriteLine($"error {ex.ErrorId}: {ex.Message}");
    return 1;
}
catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
{
    Console.Error.WriteLine($"error SandboxPortInUse: {ex.Message}");
    return 3;
}

// postgres start: DIR must not exist yet; it is made 0700 with a marker file.
// postgres stop [--info-file FILE]: only when DIR carries the marker 'start' put there (the one FILE records, when given).
static async Task<int> PostgresCommand(string[] args)
{
    string? Opt(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
    var root = Opt("--root") ?? throw new ArgumentException("--root is required.");
    switch (args.FirstOrDefault())
    {
        case "start":
            var infoFile = Opt("--info-file") ?? throw new ArgumentException("--info-file is required.");
            var server = await LocalPostgresServer.StartAsync(root);
            FileUtil.WriteAtomic(infoFile, JsonSerializer.Serialize(new
            {
                host = server.Host, port = server.Port, user = PgServerFolder.SuperUser, password = server.Password, binDir = server.BinDir, root = server.Root,
                marker = server.Marker, connectionString = server.AdminConnectionString,
            }), ownerOnly: true);
            Console.WriteLine($"PostgreSQL started on {server.Host}:{server.Port} ({server.BinDir})");
            return 0;
        case "stop":
            string? marker = null;
            if (Opt("--info-file") is { } recorded)
            {
                JsonDocument info;
                try { info = JsonDocument.Parse(File.ReadAllText(recorded)); }
                catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
                {
                    throw new OpsException("PostgresInfoUnreadable", OpsErrorCategory.ReadError, $"'{recorded}' could not be read ({ex.Message}): nothing was stopped or removed.", recorded);
                }
                using var _ = info;
                if (info.RootElement.TryGetProperty("marker", out var m)) marker = m.GetString();
                if (info.RootElement.TryGetProperty("root", out var r) && Path.GetFullPath(r.GetString() ?? "") != Path.GetFullPath(root))
                    throw new OpsException("PostgresRootNotOwned", OpsErrorCategory.InvalidArgument,
                        $"'{recorded}' records the server in '{r.GetString()}', not '{root}': nothing was stopped or removed.", root);
            }
            await PgServerFolder.StopAndRemoveAsync(root, marker);
            return 0;
        default:
            throw new ArgumentException("usage: postgres start --root DIR --info-file FILE | postgres stop --root DIR");
    }
}

sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);
    public void Dispose() { }
}
