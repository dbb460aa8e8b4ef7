using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>
/// The Argo CD sandbox's state: its applications (one, real-estate-ai, seeded with the platform's deployment history), on the
/// sandbox clock. One lock guards everything; <see cref="ArgoSyncController"/> moves operations and comparisons forward.
/// </summary>
public sealed class ArgoCdStore
{
    /// <summary>Where Argo CD runs and keeps its Application objects.</summary>
    public const string ControlNamespace = "argocd";
    public const string InClusterServer = "https://kubernetes.default.svc";
    private readonly Dictionary<string, ArgoApplication> _apps = new(StringComparer.Ordinal);
    private long _uid;

    public ArgoCdStore(SandboxClock clock) => Clock = clock;

    public object Gate { get; } = new();
    public SandboxClock Clock { get; }

    public ArgoApplication? Find(string name) { lock (Gate) return _apps.GetValueOrDefault(name); }

    /// <summary>
    /// An application the caller may see, else Argo CD's answer to an unknown one: permission denied (the server does not tell
    /// a missing application from a forbidden one, getAppEnforceRBAC).
    /// </summary>
    public ArgoApplication Require(string name) => Find(name) ?? throw ArgoCdFault.PermissionDenied();

    public IReadOnlyList<ArgoApplication> All() { lock (Gate) return _apps.Values.OrderBy(a => a.Name, StringComparer.Ordinal).ToList(); }

    public ArgoApplication Add(string name, JsonObject spec, DateTimeOffset createdAt, JsonObject? labels = null)
    {
        lock (Gate)
        {
            var app = new ArgoApplication { Name = name, Uid = NewUid(), CreatedAt = createdAt, Spec = spec, Labels = labels ?? new JsonObject() };
            _apps[name] = app;
            return app;
        }
    }

    /// <summary>Records a change to an application (its resourceVersion moves; generation too when the spec changed).</summary>
    public void Touch(ArgoApplication app, bool specChanged = false)
    {
        lock (Gate)
        {
            app.ResourceVersion++;
            if (specChanged) app.Generation++;
        }
    }

    private string NewUid()
    {
        var n = Interlocked.Increment(ref _uid);
        return new Guid((int)n, 0x7a2c, 0x4e11, 0x9a, 0x3d, 0x5c, 0x1f, 0x0a, 0x6b, 0x2e, 0x90).ToString();
    }
}
