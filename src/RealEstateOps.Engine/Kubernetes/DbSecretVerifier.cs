using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// The runbook's "credentials: verify and update secrets": logs in with the credentials the app's DB secret holds (a real
/// login through Npgsql, so a wrong password, exhausted connection slots and an unreachable host each say so), and replaces
/// them only after the new ones logged in, then restarts the deployments that read the secret. The password never leaves
/// the engine: not in results, messages or events.
/// </summary>
public sealed class DbSecretVerifier
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public DbSecretVerifier(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public async Task<DbSecretTestResult> TestAsync(DbSecretTestRequest request, CancellationToken ct)
    {
        var secret = await ReadAsync(request.Namespace, request.Name, ct).ConfigureAwait(false);
        string? Key(string k) => secret.Data?.TryGetValue(k, out var v) == true ? Encoding.UTF8.GetString(v) : null;
        var (host, user, password, database) = (Key("host"), Key("user"), Key("password"), Key("database"));
        var port = int.TryParse(Key("port"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 5432;
        var missing = new[] { ("host", host), ("user", user), ("password", password) }.Where(k => string.IsNullOrEmpty(k.Item2)).Select(k => k.Item1).ToList();
        if (missing.Count > 0)
            return new DbSecretTestResult
            {
                Namespace = request.Namespace, Secret = request.Name, Host = host ?? "", Port = port, Database = database, User = user,
                ConnectedTo = "", ErrorId = "DbSecretIncomplete",
                Error = $"Secret '{request.Name}' in namespace '{request.Namespace}' has no {string.Join(", ", missing)}: the app cannot log in with it.",
            };
        return await LoginAsync(request.Namespace, request.Name, host!, port, database, user!, password!, request.HostOverride, request.PortOverride, request.Timeout, request.SslRootCert, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies the new credentials (refused with the login's error id, DbAuthenticationFailed for a wrong password, and
    /// nothing changed), writes the secret (DbSecretWriter), then restarts each deployment that uses it.
    /// </summary>
    public async Task<DbSecretUpdateResult> UpdateAsync(DbSecretUpdateRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var (ns, name) = (request.Namespace, request.Name);
        V1Secret? existing = null;
        if (request.Host is null || request.Port is null || request.Database is null)
            existing = await ReadAsync(ns, name, ct).ConfigureAwait(false);
        string? Key(string k) => existing?.Data?.TryGetValue(k, out var v) == true ? Encoding.UTF8.GetString(v) : null;
        var host = request.Host ?? Key("host");
        if (string.IsNullOrEmpty(host))
            throw new OpsException("DbSecretIncomplete", OpsErrorCategory.InvalidArgument, $"Secret '{name}' in namespace '{ns}' names no host: give -HostName.", name);
        var port = request.Port ?? (int.TryParse(Key("port"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 5432);
        var database = request.Database ?? Key("database");

        var verified = await LoginAsync(ns, name, host, port, database, request.User, request.Password, request.HostOverride, request.PortOverride, request.Timeout, request.SslRootCert, ct).ConfigureAwait(false);
        if (!verified.Succeeded)
            throw new OpsException(verified.ErrorId ?? "DbLoginFailed", OpsErrorCategory.AuthenticationError,
                $"The new credentials for {request.User} did not log in at {verified.ConnectedTo}: {verified.Error} Secret '{name}' was not changed and nothing was restarted.", name)
            { RecommendedAction = "Check the user and password (or the database's reachability from here: -HostOverride/-Port for a port-forward), then run again." };
        events.Verbose($"The new credentials for {request.User} logged in at {verified.ConnectedTo} (PostgreSQL {verified.ServerVersion}).");

        var deployments = request.Deployments ?? await DeploymentsUsingAsync(ns, name, ct).ConfigureAwait(false);
        var written = await new DbSecretWriter(_client).ApplyAsync(new DbSecretRequest
        {
            Namespace = ns, Name = name, Host = host, Port = port, Database = database, User = request.User, Password = request.Password,
        }, events, ct).ConfigureAwait(false);

        var restarted = new List<RolloutStatus>();
        var failed = new List<string>();
        if (written.Action == DbSecretAction.Unchanged) events.Verbose($"secret/{name} already held these credentials: no restart needed.");
        else
            foreach (var deployment in deployments)
            {
                try
                {
                    restarted.Add(await new Rollouts(_client, _time).RestartAsync(new RolloutRequest(ns, deployment), ct).ConfigureAwait(false));
                }
                catch (OpsException ex)
                {
                    failed.Add(deployment);
                    events.ItemFailed(new OpsException(ex.ErrorId, ex.Category,
                        $"Secret '{name}' was updated, but deployment '{deployment}' could not be restarted: {ex.Message} Its pods use the old credentials until they restart.", deployment, ex));
                }
            }
        return new DbSecretUpdateResult { Verified = verified, Secret = written, Restarted = restarted.ToArray(), NotRestarted = failed.ToArray() };
    }

    /// <summary>The deployments in <paramref name="ns"/> whose pod template reads the secret (env, envFrom or a volume).</summary>
    public async Task<string[]> DeploymentsUsingAsync(string ns, string secret, CancellationToken ct)
    {
        var list = await _client.Call(api => api.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct), "Deployment", null, ns).ConfigureAwait(false);
        return list.Items.Where(d => Uses(d.Spec?.Template?.Spec, secret)).Select(d => d.Metadata.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    private static bool Uses(V1PodSpec? spec, string secret)
    {
        if (spec is null) return false;
        var containers = (spec.Containers ?? new List<V1Container>()).Concat(spec.InitContainers ?? new List<V1Container>());
        return containers.Any(c =>
                   (c.Env ?? new List<V1EnvVar>()).Any(e => e.ValueFrom?.SecretKeyRef?.Name == secret) ||
                   (c.EnvFrom ?? new List<V1EnvFromSource>()).Any(e => e.SecretRef?.Name == secret)) ||
               (spec.Volumes ?? new List<V1Volume>()).Any(v => v.Secret?.SecretName == secret);
    }

    private async Task<V1Secret> ReadAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await _client.Call(api => api.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct), "Secret", name, ns).ConfigureAwait(false);
        }
        catch (OpsException ex)
        {
            throw ExceptionSanitizer.Sanitize(ex);
        }
    }

    private static async Task<DbSecretTestResult> LoginAsync(string ns, string secret, string host, int port, string? database, string user, string password,
        string? hostOverride, int? portOverride, TimeSpan timeout, string? sslRootCert, CancellationToken ct)
    {
        var (toHost, toPort) = (string.IsNullOrEmpty(hostOverride) ? host : hostOverride, portOverride ?? port);
        var login = await DbConnectionTester.TestAsync(new DbConnectionRequest
        {
            Host = toHost, Port = toPort, Database = database, User = user, Password = password, Timeout = timeout, SslRootCert = sslRootCert,
        }, ct).ConfigureAwait(false);
        var error = login.Error is { Length: > 0 } e && password.Length > 0 ? e.Replace(password, Redaction.Mask, StringComparison.Ordinal) : login.Error;
        return new DbSecretTestResult
        {
            Namespace = ns, Secret = secret, Host = host, Port = port, Database = database, User = user,
            ConnectedTo = $"{toHost}:{toPort}", Succeeded = login.IsReady, ErrorId = login.IsReady ? null : login.ErrorId ?? "DbLoginFailed",
            Error = login.IsReady ? null : error, ServerVersion = login.ServerVersion, Latency = login.Latency,
        };
    }
}
