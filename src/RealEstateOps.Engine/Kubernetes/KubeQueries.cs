using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// Lists pods, deployments, services and nodes page by page (limit + continue token) as streams: the next
/// page is requested only when the consumer asks for the item after the last one, so a consumer that stops
/// stops the paging. One exact name becomes a server-side field selector; wildcards are matched here. A name
/// that matched nothing is an error (PodNotFound, ...); an empty list in a namespace that does not exist is
/// NamespaceNotFound.
/// </summary>
public sealed class KubeQueries
{
    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public KubeQueries(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public IAsyncEnumerable<KubePod> ListPodsAsync(KubeListRequest request, CancellationToken ct) =>
        ListAsync("Pod", request, (api, cont, field, limit, token) => request.Namespace is null
                ? api.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token)
                : api.CoreV1.ListNamespacedPodAsync(request.Namespace, continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token),
            l => l.Items, l => l.Metadata?.ContinueProperty, p => p.Metadata.Name, p => KubePod.From(p, _time.GetUtcNow()), clusterScoped: false, ct);

    public IAsyncEnumerable<KubeDeployment> ListDeploymentsAsync(KubeListRequest request, CancellationToken ct) =>
        ListAsync("Deployment", request, (api, cont, field, limit, token) => request.Namespace is null
                ? api.AppsV1.ListDeploymentForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token)
                : api.AppsV1.ListNamespacedDeploymentAsync(request.Namespace, continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token),
            l => l.Items, l => l.Metadata?.ContinueProperty, d => d.Metadata.Name, d => KubeDeployment.From(d, _time.GetUtcNow()), clusterScoped: false, ct);

    public IAsyncEnumerable<KubeService> ListServicesAsync(KubeListRequest request, CancellationToken ct) =>
        ListAsync("Service", request, (api, cont, field, limit, token) => request.Namespace is null
                ? api.CoreV1.ListServiceForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token)
                : api.CoreV1.ListNamespacedServiceAsync(request.Namespace, continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token),
            l => l.Items, l => l.Metadata?.ContinueProperty, s => s.Metadata.Name, s => KubeService.From(s, _time.GetUtcNow()), clusterScoped: false, ct);

    /// <summary>Nodes are cluster-scoped: the request's namespace is not used.</summary>
    public IAsyncEnumerable<KubeNode> ListNodesAsync(KubeListRequest request, CancellationToken ct) =>
        ListAsync("Node", request, (api, cont, field, limit, token) =>
                api.CoreV1.ListNodeAsync(continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token),
            l => l.Items, l => l.Metadata?.ContinueProperty, n => n.Metadata.Name, n => KubeNode.From(n, _time.GetUtcNow()), clusterScoped: true, ct);

    /// <summary>The namespaces' names (cluster-scoped; the request's namespace is not used), for completion.</summary>
    public IAsyncEnumerable<string> ListNamespaceNamesAsync(KubeListRequest request, CancellationToken ct) =>
        ListAsync("Namespace", request, (api, cont, field, limit, token) =>
                api.CoreV1.ListNamespaceAsync(continueParameter: cont, fieldSelector: field, labelSelector: request.Selector, limit: limit, cancellationToken: token),
            l => l.Items, l => l.Metadata?.ContinueProperty, n => n.Metadata.Name, n => n.Metadata.Name, clusterScoped: true, ct);

    /// <summary>Every pod that matches, as the API's objects, for engine work that needs them whole (a drain's plan, a health check).</summary>
    internal async Task<List<V1Pod>> PodsAsync(string? ns, string? selector, string? field, CancellationToken ct)
    {
        var result = new List<V1Pod>();
        string? cont = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var page = await _client.Call(api => ns is null
                ? api.CoreV1.ListPodForAllNamespacesAsync(continueParameter: cont, fieldSelector: field, labelSelector: selector, limit: 500, cancellationToken: ct)
                : api.CoreV1.ListNamespacedPodAsync(ns, continueParameter: cont, fieldSelector: field, labelSelector: selector, limit: 500, cancellationToken: ct), "Pod", null, ns).ConfigureAwait(false);
            result.AddRange(page.Items);
            cont = page.Metadata?.ContinueProperty;
            if (!string.IsNullOrEmpty(cont) && !seen.Add(cont)) throw KubeErrors.PagingLoop("Pod", ns, cont, seen.Count + 1);
        } while (!string.IsNullOrEmpty(cont));
        return result;
    }

    private async IAsyncEnumerable<TModel> ListAsync<TList, TItem, TModel>(string kind, KubeListRequest request,
        Func<IKubernetes, string?, string?, int, CancellationToken, Task<TList>> fetch, Func<TList, IList<TItem>> items, Func<TList, string?> next,
        Func<TItem, string> nameOf, Func<TItem, TModel> model, bool clusterScoped, [EnumeratorCancellation] CancellationToken ct)
    {
        var ns = clusterScoped ? null : request.Namespace;
        var names = request.Names?.Where(n => !string.IsNullOrEmpty(n)).ToArray() ?? Array.Empty<string>();
        var field = request.FieldSelector;
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
            var page = await _client.Call(api => fetch(api, cont, field, request.PageSize, ct), kind, null, request.Namespace).ConfigureAwait(false);
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
                yield return model(item);
            }
            cont = next(page);
            if (!string.IsNullOrEmpty(cont) && !seen.Add(cont)) throw KubeErrors.PagingLoop(kind, request.Namespace, cont, seen.Count + 1);
        } while (!string.IsNullOrEmpty(cont));

        for (var i = 0; i < names.Length; i++)
            if (!matched[i] && !Wildcard.HasWildcard(names[i]))
            {
                if (ns is not null) await RequireNamespaceAsync(ns, ct).ConfigureAwait(false);
                throw new OpsException(kind + "NotFound", OpsErrorCategory.ObjectNotFound,
                    $"{kind} '{names[i]}' was not found" + (ns is null ? "." : $" in namespace '{ns}'."), names[i]);
            }
        if (!any && names.Length == 0 && ns is not null) await RequireNamespaceAsync(ns, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the namespace: NamespaceNotFound when it does not exist.</summary>
    public Task RequireNamespaceAsync(string ns, CancellationToken ct) =>
        _client.Call(api => api.CoreV1.ReadNamespaceAsync(ns, cancellationToken: ct), "Namespace", null, ns);
}
