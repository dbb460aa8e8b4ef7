using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>What to list: namespace (null for all), names with wildcards, label and field selectors, page size.</summary>
public sealed class KubeListRequest
{
    public string? Namespace { get; init; }
    public string[]? Names { get; init; }
    public string? Selector { get; init; }
    public string? FieldSelector { get; init; }
    /// <summary>Items per page (limit); the continue token fetches the next page.</summary>
    public int PageSize { get; init; } = 500;
    /// <summary>Awaited after each page was handed out, before the next is fetched: the consumer's backpressure
    /// (a cmdlet completes it once the page is written, so a pipeline that stopped fetches no more).</summary>
    public Func<CancellationToken, Task>? PageHandled { get; init; }
}

/// <summary>
/// Lists pods, deployments, services and nodes page by page (limit + continue token), handing each
/// item to the caller as its page arrives, so a pipeline that stops early stops the fetching too.
/// One exact name becomes a server-side field selector; wildcards are matched here. A name that matched
/// nothing is an error (PodNotFound, ...); an empty list in a namespace that does not exist is NamespaceNotFound.
/// </summary>
public sealed class KubeQueries
{
    private readonly KubeConnection _kube;
    private readonly TimeProvider _time;

    public KubeQueries(KubeConnection kube, TimeProvider? time = null)
    {
        _kube = kube;
        _time = time ?? TimeProvider.System;
    }

    private IKubernetes C => _kube.Client;

    public Task ListPodsAsync(KubeListRequest r, Action<KubePod> emit, CancellationToken ct) =>
        ListAsync("Pod", r, (cont, field, limit) => r.Namespace is null
                ? C.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct)
                : C.CoreV1.ListNamespacedPodAsync(r.Namespace, continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct),
            l => l.Items, l => l.Metadata?.ContinueProperty, p => p.Metadata.Name, p => emit(KubePod.From(p, _time.GetUtcNow())), ct);

    public Task ListDeploymentsAsync(KubeListRequest r, Action<KubeDeployment> emit, CancellationToken ct) =>
        ListAsync("Deployment", r, (cont, field, limit) => r.Namespace is null
                ? C.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct)
                : C.AppsV1.ListNamespacedDeploymentAsync(r.Namespace, continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct),
            l => l.Items, l => l.Metadata?.ContinueProperty, d => d.Metadata.Name, d => emit(KubeDeployment.From(d, _time.GetUtcNow())), ct);

    public Task ListServicesAsync(KubeListRequest r, Action<KubeService> emit, CancellationToken ct) =>
        ListAsync("Service", r, (cont, field, limit) => r.Namespace is null
                ? C.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct)
                : C.CoreV1.ListNamespacedServiceAsync(r.Namespace, continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct),
            l => l.Items, l => l.Metadata?.ContinueProperty, s => s.Metadata.Name, s => emit(KubeService.From(s, _time.GetUtcNow())), ct);

    public Task ListNodesAsync(KubeListRequest r, Action<KubeNode> emit, CancellationToken ct) =>
        ListAsync("Node", r, (cont, field, limit) =>
                C.CoreV1.ListNodeAsync(continueParameter: cont, fieldSelector: field, labelSelector: r.Selector, limit: limit, cancellationToken: ct),
            l => l.Items, l => l.Metadata?.ContinueProperty, n => n.Metadata.Name, n => emit(KubeNode.From(n, _time.GetUtcNow())), ct, with_namespace_none: true);

    /// <summary>Raw pods (for engine work that needs the full object), paged.</summary>
    public async Task<List<V1Pod>> PodsAsync(string? ns, string? selector, string? field, CancellationToken ct)
    {
        var result = new List<V1Pod>();
        string? cont = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await KubeConnection.Call(() => ns is null
                ? C.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: selector, limit: 500, cancellationToken: ct)
                : C.CoreV1.ListNamespacedPodAsync(ns, continueParameter: cont, fieldSelector: field, labelSelector: selector, limit: 500, cancellationToken: ct), "Pod", null, ns).ConfigureAwait(false);
            result.AddRange(page.Items);
            cont = page.Metadata?.ContinueProperty;
            if (!string.IsNullOrEmpty(cont) && !seen.Add(cont)) throw KubeErrors.PagingLoop("Pod", ns, cont, seen.Count + 1);
        } while (!string.IsNullOrEmpty(cont));
        return result;
    }

    private async Task ListAsync<TList, TItem>(string kind, KubeListRequest r, Func<string?, string?, int, Task<TList>> fetch,
        Func<TList, IList<TItem>> items, Func<TList, string?> next, Func<TItem, string> nameOf, Action<TItem> emit, CancellationToken ct, bool with_namespace_none = false)
    {
        var names = r.Names?.Where(n => !string.IsNullOrEmpty(n)).ToArray() ?? Array.Empty<string>();
        var field = r.FieldSelector;
        // One exact name: let the server select it.
        if (names.Length == 1 && !Wildcard.HasWildcard(names[0]))
            field = string.IsNullOrEmpty(field) ? "metadata.name=" + names[0] : field + ",metadata.name=" + names[0];
        var patterns = names.Select(Wildcard.ToRegex).ToArray();
        var matched = new bool[names.Length];
        var any = false;
        string? cont = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await KubeConnection.Call(() => fetch(cont, field, r.PageSize), kind, null, r.Namespace).ConfigureAwait(false);
            foreach (var item in items(page))
            {
                var name = nameOf(item);
                if (patterns.Length > 0)
                {
                    var hit = false;
                    for (var i = 0; i < patterns.Length; i++) if (patterns[i].IsMatch(name)) { matched[i] = true; hit = true; }
                    if (!hit) continue;
                }
                any = true;
                emit(item);
            }
            cont = next(page);
            if (!string.IsNullOrEmpty(cont) && !seen.Add(cont)) throw KubeErrors.PagingLoop(kind, r.Namespace, cont, seen.Count + 1);
            if (!string.IsNullOrEmpty(cont) && r.PageHandled is { } handled) await handled(ct).ConfigureAwait(false);
        } while (!string.IsNullOrEmpty(cont));

        for (var i = 0; i < names.Length; i++)
            if (!matched[i] && !Wildcard.HasWildcard(names[i]))
            {
                if (r.Namespace is not null && !with_namespace_none) await RequireNamespaceAsync(r.Namespace, ct).ConfigureAwait(false);
                throw new OpsException(kind + "NotFound", OpsErrorCategory.ObjectNotFound,
                    $"{kind} '{names[i]}' was not found" + (r.Namespace is null || with_namespace_none ? "." : $" in namespace '{r.Namespace}'."), names[i]);
            }
        if (!any && names.Length == 0 && r.Namespace is not null && !with_namespace_none) await RequireNamespaceAsync(r.Namespace, ct).ConfigureAwait(false);
    }

    public async Task RequireNamespaceAsync(string ns, CancellationToken ct) =>
        await KubeConnection.Call(() => C.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct), "Namespace", null, ns).ConfigureAwait(false);
}
