using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>One log line as an object: pod, container, timestamp and text.</summary>
public sealed class PodLogLine
{
    public string Namespace { get; init; } = "";
    public string Pod { get; init; } = "";
    public string Container { get; init; } = "";
    public DateTimeOffset? Timestamp { get; init; }
    public string Text { get; init; } = "";
    public override string ToString() => Text;
}

public sealed class PodLogRequest
{
    public required string Namespace { get; init; }
    public string? Pod { get; init; }
    public string? Deployment { get; init; }
    public string? Container { get; init; }
    public int? Tail { get; init; }
    public TimeSpan? Since { get; init; }
    public bool Previous { get; init; }
    public Regex? Pattern { get; init; }
    public bool Follow { get; init; }
    /// <summary>Concurrent log streams for a deployment's pods (kubectl's --max-log-requests).</summary>
    public int MaxConcurrency { get; init; } = 5;
}

/// <summary>
/// kubectl logs as objects: one pod, or every pod of a deployment with a bounded number of streams at
/// once; the container kubectl would choose when none is named; -Follow streams until cancelled.
/// </summary>
public sealed class PodLogReader
{
    private readonly KubeConnection _kube;

    public PodLogReader(KubeConnection kube) => _kube = kube;

    public async Task ReadAsync(PodLogRequest r, Action<PodLogLine> emit, CancellationToken ct)
    {
        List<V1Pod> pods;
        if (r.Pod is not null)
            pods = new List<V1Pod> { await KubeConnection.Call(() => _kube.Client.CoreV1.ReadNamespacedPodAsync(r.Pod, r.Namespace, cancellationToken: ct), "Pod", r.Pod, r.Namespace).ConfigureAwait(false) };
        else
        {
            var deployment = await KubeConnection.Call(() => _kube.Client.AppsV1.ReadNamespacedDeploymentAsync(r.Deployment!, r.Namespace, cancellationToken: ct), "Deployment", r.Deployment, r.Namespace).ConfigureAwait(false);
            pods = (await new KubeQueries(_kube).PodsAsync(r.Namespace, Kube.SelectorString(deployment.Spec.Selector), null, ct).ConfigureAwait(false))
                .Where(p => p.Metadata.DeletionTimestamp is null).OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
            if (pods.Count == 0)
                throw new OpsException("DeploymentHasNoPods", OpsErrorCategory.ObjectNotFound, $"Deployment '{r.Deployment}' has no running pods to read logs from.", r.Deployment);
            if (r.Follow && pods.Count > r.MaxConcurrency)
                throw new OpsException("LogStreamLimitExceeded", OpsErrorCategory.LimitsExceeded,
                    $"Following {pods.Count} log streams, but at most {r.MaxConcurrency} are allowed at once: raise -MaxConcurrency.", r.Deployment);
        }
        foreach (var pod in pods)
            if (r.Container is { } c && pod.Spec.Containers.All(x => x.Name != c))
                throw new OpsException("ContainerNotFound", OpsErrorCategory.ObjectNotFound,
                    $"Pod '{pod.Metadata.Name}' has no container '{c}'; it has: {string.Join(", ", pod.Spec.Containers.Select(x => x.Name))}.", c);

        using var gate = new SemaphoreSlim(Math.Max(1, r.MaxConcurrency));
        // Pods are read at once, but the caller's callback is called by one of them at a time (and a pod's
        // buffered lines go out together), so callers need no locking of their own.
        var emitting = new object();
        var tasks = pods.Select(async pod =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try { await StreamAsync(pod, r, emit, emitting, ct).ConfigureAwait(false); }
            finally { gate.Release(); }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task StreamAsync(V1Pod pod, PodLogRequest r, Action<PodLogLine> emit, object emitting, CancellationToken ct)
    {
        var container = r.Container ?? Kube.DefaultContainer(pod);
        var name = pod.Metadata.Name;
        var since = r.Since is { } s ? (int?)Math.Max(1, (int)Math.Ceiling(s.TotalSeconds)) : null;
        await using var stream = await KubeConnection.Call(() => _kube.Client.CoreV1.ReadNamespacedPodLogAsync(name, r.Namespace, container: container,
            follow: r.Follow, previous: r.Previous, sinceSeconds: since, tailLines: r.Tail, timestamps: true, cancellationToken: ct), "Pod", name, r.Namespace).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        // Lines of one pod are written together when not following, so the output reads pod by pod.
        var buffer = r.Follow ? null : new List<PodLogLine>();
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } raw)
        {
            var line = Parse(raw, r.Namespace, name, container);
            if (r.Pattern is not null && !r.Pattern.IsMatch(line.Text)) continue;
            if (buffer is not null) buffer.Add(line);
            else lock (emitting) emit(line);
        }
        if (buffer is not null)
            lock (emitting)
                foreach (var l in buffer) emit(l);
    }

    public static PodLogLine Parse(string raw, string ns, string pod, string container)
    {
        var space = raw.IndexOf(' ');
        if (space > 0 && DateTimeOffset.TryParse(raw[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts))
            return new PodLogLine { Namespace = ns, Pod = pod, Container = container, Timestamp = ts, Text = raw[(space + 1)..] };
        return new PodLogLine { Namespace = ns, Pod = pod, Container = container, Text = raw };
    }
}
