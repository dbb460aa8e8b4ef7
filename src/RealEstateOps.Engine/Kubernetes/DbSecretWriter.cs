using System.Text;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// The recovery runbook's "kubectl create secret generic db-credentials --from-literal=... --dry-run=client -o yaml |
/// kubectl apply -f -": creates the secret, or replaces its data idempotently (no write when nothing changed).
/// Keys as the runbook names them: host, port, user, password, database.
/// </summary>
public sealed class DbSecretWriter
{
    private readonly KubeClient _client;

    public DbSecretWriter(KubeClient client) => _client = client;

    public static Dictionary<string, byte[]> Data(DbSecretRequest r)
    {
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["host"] = Encoding.UTF8.GetBytes(r.Host),
            ["port"] = Encoding.UTF8.GetBytes(r.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (r.User is not null) data["user"] = Encoding.UTF8.GetBytes(r.User);
        if (r.Password is not null) data["password"] = Encoding.UTF8.GetBytes(r.Password);
        if (r.Database is not null) data["database"] = Encoding.UTF8.GetBytes(r.Database);
        return data;
    }

    /// <summary>
    /// Creates or updates the secret, and says which as a Verbose note. Every failure is an error with a specific id that carries neither the
    /// request (the secret's data) nor the response, and whose message never contains the password.
    /// </summary>
    public async Task<DbConnectionSecret> ApplyAsync(DbSecretRequest r, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        try
        {
            var written = await ApplyCoreAsync(r, ct).ConfigureAwait(false);
            events.Verbose($"secret/{written.Name} {written.Action.ToString().ToLowerInvariant()} (keys: {string.Join(", ", written.Keys)}).");
            return written;
        }
        catch (OpsException ex)
        {
            throw ExceptionSanitizer.WithoutSecret(ExceptionSanitizer.Sanitize(ex), r.Password);
        }
    }

    private async Task<DbConnectionSecret> ApplyCoreAsync(DbSecretRequest r, CancellationToken ct)
    {
        var data = Data(r);
        V1Secret? existing = null;
        try
        {
            existing = await _client.Call(api => api.CoreV1.ReadNamespacedSecretAsync(r.Name, r.Namespace, cancellationToken: ct), "Secret", r.Name, r.Namespace).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "SecretNotFound")
        {
        }

        V1Secret written;
        DbSecretAction action;
        if (existing is null)
        {
            var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = r.Name, NamespaceProperty = r.Namespace, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "RealEstateOps" } }, Type = "Opaque", Data = data };
            try
            {
                written = await _client.Call(api => api.CoreV1.CreateNamespacedSecretAsync(secret, r.Namespace, cancellationToken: ct), "Secret", r.Name, r.Namespace).ConfigureAwait(false);
                action = DbSecretAction.Created;
            }
            catch (OpsException ex) when (ex.ErrorId == "KubeConflict")
            {
                // Created meanwhile (or by our own retried request): apply again as an update.
                return await ApplyCoreAsync(r, ct).ConfigureAwait(false);
            }
        }
        else if (Same(existing.Data, data) && existing.Type is null or "Opaque")
        {
            written = existing;
            action = DbSecretAction.Unchanged;
        }
        else
        {
            existing.Data = data;
            existing.StringData = null;
            written = await _client.Call(api => api.CoreV1.ReplaceNamespacedSecretAsync(existing, r.Name, r.Namespace, cancellationToken: ct), "Secret", r.Name, r.Namespace).ConfigureAwait(false);
            action = DbSecretAction.Updated;
        }
        return new DbConnectionSecret
        {
            Namespace = r.Namespace, Name = r.Name, Host = r.Host, Port = r.Port, Database = r.Database, User = r.User,
            Keys = data.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray(), Action = action, ResourceVersion = written.Metadata?.ResourceVersion,
        };
    }

    private static bool Same(IDictionary<string, byte[]>? a, Dictionary<string, byte[]> b) =>
        a is not null && a.Count == b.Count && b.All(kv => a.TryGetValue(kv.Key, out var v) && v.AsSpan().SequenceEqual(kv.Value));
}
