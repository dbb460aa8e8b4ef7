using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// kubectl logs as objects: one pod, or every pod of a deployment with a bounded number of streams at
/// once; the container kubectl would choose when none is named; -Follow streams until cancelled.
/// </summary>
public sealed class PodLogReader
{
    private readonly KubeClient _client;

    public PodLogReader(KubeClient client) => _client = client;

    /// <summary>
    /// The lines, as a stream: pods are read at once (at most <see cref="PodLogRequest.MaxConcurrency"/> streams),
    /// a pod's lines go out together when not following (so the output reads pod by pod), and line by line when
    /// following. A consumer that stops ends the reading.
    /// </summary>
    public async IAsyncEnumerable<PodLogLine> ReadAsync(PodLogRequest r, [EnumeratorCancellation] CancellationToken ct)
    {
        var pattern = LogPattern.Compile(r.Pattern);
        var pods = await PodsAsync(r, ct).ConfigureAwait(false);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Batches of lines: a pod's whole log, or one followed line; at most a few waiting for the consumer.
        var batches = Channel.CreateBounded<IReadOnlyList<PodLogLine>>(new BoundedChannelOptions(Math.Max(16, r.MaxConcurrency * 4)) { SingleReader = true });
        var readers = ReadAllAsync(pods, r, pattern, batches.Writer, reading.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                foreach (var line in batch)
                    yield return line;
            await readers.ConfigureAwait(false);
        }
        finally
        {
            reading.Cancel();
            try { await readers.ConfigureAwait(false); } catch (Exception) when (reading.IsCancellationRequested) { /* its error already ended the stream, or the consumer stopped */ }
        }
    }

    private async Task<List<V1Pod>> PodsAsync(PodLogRequest r, CancellationToken ct)
    {
        List<V1Pod> pods;
        if (r.Pod is not null)
            pods = new List<V1Pod> { await _client.Call(api => api.CoreV1.ReadNamespacedPodAsync(r.Pod, r.Namespace, cancellationToken: ct), "Pod", r.Pod, r.Namespace).ConfigureAwait(false) };
        else
        {
            var deployment = await _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(r.Deployment!, r.Namespace, cancellationToken: ct), "Deployment", r.Deployment, r.Namespace).ConfigureAwait(false);
            pods = (await new KubeQueries(_client).PodsAsync(r.Namespace, Kube.SelectorString(deployment.Spec.Selector), null, ct).ConfigureAwait(false))
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
        return pods;
    }

    /// <summary>Reads every pod's log into the channel, a bounded number at once; completes it with the first error, if any.</summary>
    private async Task ReadAllAsync(List<V1Pod> pods, PodLogRequest r, Regex? pattern, ChannelWriter<IReadOnlyList<PodLogLine>> batches, CancellationToken ct)
    {
        try
        {
            using var gate = new SemaphoreSlim(Math.Max(1, r.MaxConcurrency));
            await Task.WhenAll(pods.Select(async pod =>
            {
                await gate.WaitAsync(ct).ConfigureAwait(false);
                try { await StreamAsync(pod, r, pattern, batches, ct).ConfigureAwait(false); }
                finally { gate.Release(); }
            })).ConfigureAwait(false);
            batches.TryComplete();
        }
        catch (Exception ex)
        {
            batches.TryComplete(ex);
            throw;
        }
    }

    private async Task StreamAsync(V1Pod pod, PodLogRequest r, Regex? pattern, ChannelWriter<IReadOnlyList<PodLogLine>> batches, CancellationToken ct)
    {
        var container = r.Container ?? Kube.DefaultContainer(pod);
        var name = pod.Metadata.Name;
        var since = r.Since is { } s ? (int?)Math.Max(1, (int)Math.Ceiling(s.TotalSeconds)) : null;
        await using var stream = await _client.Call(api => api.CoreV1.ReadNamespacedPodLogAsync(name, r.Namespace, container: container,
            follow: r.Follow, previous: r.Previous, sinceSeconds: since, tailLines: r.Tail, timestamps: true, cancellationToken: ct), "Pod", name, r.Namespace).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        // Lines of one pod are written together when not following, so the output reads pod by pod.
        var buffer = r.Follow ? null : new List<PodLogLine>();
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } raw)
        {
            var line = Parse(raw, r.Namespace, name, container);
            if (pattern is not null && !pattern.IsMatch(line.Text)) continue;
            if (buffer is not null) buffer.Add(line);
            else await batches.WriteAsync(new[] { line }, ct).ConfigureAwait(false);
        }
        if (buffer is not null) await batches.WriteAsync(buffer, ct).ConfigureAwait(false);
    }

    public static PodLogLine Parse(string raw, string ns, string pod, string container)
    {
        var space = raw.IndexOf(' ');
        if (space > 0 && DateTimeOffset.TryParse(raw[..space], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts))
            return new PodLogLine { Namespace = ns, Pod = pod, Container = container, Timestamp = ts, Text = raw[(space + 1)..] };
        return new PodLogLine { Namespace = ns, Pod = pod, Container = container, Text = raw };
    }
}
