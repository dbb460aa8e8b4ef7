using RealEstateOps.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Support;

/// <summary>
/// A fresh in-process sandbox for one test class instance: its own state folder (a marked name under the temp
/// folder, removed at the end), a kubeconfig for the sandbox's admin, an HTTP client with the control and
/// Kubernetes tokens, and a runspace whose active context (made by <c>Set-OpsContext</c> with the given
/// arguments and the kubeconfig) points at it.
/// </summary>
public sealed class KubeSandboxSession : IAsyncDisposable
{
    private KubeSandboxSession(SandboxHost host, string state, HttpClient http, PsSession shell)
    {
        Host = host;
        State = state;
        Http = http;
        Shell = shell;
    }

    public SandboxHost Host { get; }
    public string State { get; }
    public HttpClient Http { get; }
    public PsSession Shell { get; }

    /// <param name="prefix">The state folder's name prefix (e.g. <c>reo-kube-</c>), which marks it as a test's.</param>
    /// <param name="contextArguments">Set-OpsContext's arguments besides -KubeconfigPath, starting with -Name.</param>
    /// <param name="clockSpeed">The sandbox clock's speed from the start.</param>
    /// <param name="monitoring">Also run the sandbox's real Prometheus and Alertmanager (Host.Context.Monitoring).</param>
    public static async Task<KubeSandboxSession> StartAsync(string prefix, string contextArguments, double clockSpeed = 1, bool monitoring = false)
    {
        var state = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
        var options = new SandboxOptions
        {
            PostgresConnectionString = TestPostgres.AdminConnectionString, StateDir = state,
            DatabaseName = "rea_" + Guid.NewGuid().ToString("N")[..8], AppUser = "app_" + Guid.NewGuid().ToString("N")[..8],
            Monitoring = monitoring,
        };
        var host = await SandboxHost.StartAsync(options);
        host.Context.Clock.Speed = clockSpeed;
        var http = new HttpClient { BaseAddress = host.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Sandbox-Token", options.Secrets.ControlToken); // the control endpoints' token
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", options.Secrets.KubeAdminToken); // the Kubernetes API's
        var kubeconfig = Path.Combine(state, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster: {server: "{{host.BaseUrl.ToString().TrimEnd('/')}}"}
            users:
            - name: admin
              user: {token: "{{options.Secrets.KubeAdminToken}}"}
            contexts:
            - name: sandbox
              context: {cluster: sandbox, user: admin}
            current-context: sandbox

            """);
        var shell = new PsSession();
        var session = new KubeSandboxSession(host, state, http, shell);
        var name = contextArguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(a => !a.Equals("-Name", StringComparison.OrdinalIgnoreCase)).Skip(1).FirstOrDefault()
            ?? throw new ArgumentException("The context arguments must name the context (-Name).", nameof(contextArguments));
        var r = shell.Run($"Set-OpsContext {contextArguments} -KubeconfigPath '{kubeconfig}'; Use-OpsContext {name}");
        if (r.Errors.Count > 0 || r.Terminating is not null)
        {
            await session.DisposeAsync();
            throw new InvalidOperationException("Set-OpsContext failed: " + string.Join("; ", r.Errors.Select(e => e.ToString())) + r.Terminating?.Message);
        }
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        Shell.Dispose();
        Http.Dispose();
        await Host.DisposeAsync();
        try { Directory.Delete(State, true); } catch (IOException) { }
    }
}
