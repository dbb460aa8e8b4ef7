using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Where a Kubernetes command points: kubeconfig file, its context, the API server and the namespace.</summary>
public sealed class KubeTarget
{
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }
    public string? Namespace { get; init; }
    /// <summary>Request timeout; log streams (-Follow) use none.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public RetryPolicy? RetryPolicy { get; init; }
    /// <summary>Tests only: a handler innermost in the client's pipeline (it may answer without the network).</summary>
    internal DelegatingHandler? InnerHandlerForTests { get; init; }
}

/// <summary>
/// A client of one cluster, built by KubernetesClient from a kubeconfig (its exec credential plugins,
/// such as aws eks get-token, tokens and certificates all keep working), with our retry handler in its
/// pipeline. Every API failure becomes an OpsException with a specific id (<see cref="KubeErrors"/>).
/// </summary>
public sealed class KubeConnection : IDisposable
{
    private KubeConnection(IKubernetes client, string kubeconfig, string context, string server, string ns)
    {
        Client = client;
        Kubeconfig = kubeconfig;
        Context = context;
        Server = server;
        Namespace = ns;
    }

    public IKubernetes Client { get; }
    public string Kubeconfig { get; }
    public string Context { get; }
    public string Server { get; }
    /// <summary>The namespace commands use by default: the given one, else the kubeconfig context's, else "default".</summary>
    public string Namespace { get; }

    /// <summary>The kubeconfig a command reads: the given path, else the first file of KUBECONFIG, else ~/.kube/config.</summary>
    public static string ResolveKubeconfigPath(string? path)
    {
        if (!string.IsNullOrWhiteSpace(path)) return Path.GetFullPath(ExpandHome(path));
        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env)
            return Path.GetFullPath(ExpandHome(env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0]));
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }

    private static string ExpandHome(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;

    public static KubeConnection Open(KubeTarget target)
    {
        var path = ResolveKubeconfigPath(target.Kubeconfig);
        if (!File.Exists(path))
            throw new OpsException("KubeconfigNotFound", OpsErrorCategory.ObjectNotFound,
                $"No kubeconfig at '{path}'. Give -Kubeconfig, set KubeconfigPath in the context (Set-OpsContext), or write one with 'aws eks update-kubeconfig'.", path, isFatal: true);
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, string.IsNullOrWhiteSpace(target.Context) ? null : target.Context);
        }
        catch (KubeConfigException ex) when (target.Context is { Length: > 0 } && ex.Message.Contains("context", StringComparison.OrdinalIgnoreCase))
        {
            throw new OpsException("KubeContextNotFound", OpsErrorCategory.ObjectNotFound,
                $"The kubeconfig '{path}' has no context '{target.Context}': {ex.Message}", target.Context, ex, isFatal: true);
        }
        catch (Exception ex) when (ex is KubeConfigException or YamlDotNet.Core.YamlException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new OpsException("KubeconfigInvalid", OpsErrorCategory.InvalidData, $"The kubeconfig '{path}' cannot be used: {ex.Message}", path, ex, isFatal: true);
        }
        // The request timeout is ours (KubeRequestMarker): the client's own ends in a bare cancellation, indistinguishable from Ctrl+C.
        config.HttpClientTimeout = System.Threading.Timeout.InfiniteTimeSpan;
        var retry = new RetryHandler(target.RetryPolicy);
        var client = target.InnerHandlerForTests is { } inner
            ? new k8s.Kubernetes(config, new KubeRequestMarker(target.RequestTimeout), retry, inner)
            : new k8s.Kubernetes(config, new KubeRequestMarker(target.RequestTimeout), retry);
        var ns = !string.IsNullOrWhiteSpace(target.Namespace) ? target.Namespace! : config.Namespace ?? "default";
        return new KubeConnection(client, path, config.CurrentContext ?? "", config.Host ?? "", ns);
    }

    /// <summary>
    /// Runs one API call, turning its failures into errors with specific ids: the API's answers (KubeErrors.From),
    /// KubeApiUnreachable when the server cannot be reached, KubeApiTimeout when the request timeout (not Ctrl+C) ran out.
    /// No error keeps the client's exception itself: it holds the request and response, bodies included.
    /// </summary>
    public static async Task<T> Call<T>(Func<Task<T>> call, string kind, string? name, string? ns)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException ex)
        {
            throw KubeErrors.From(ex, kind, name, ns);
        }
        catch (HttpRequestException ex)
        {
            throw KubeErrors.Unreachable(ex);
        }
        catch (KubernetesClientException ex)
        {
            throw new OpsException("KubeCredentialsFailed", OpsErrorCategory.AuthenticationError,
                $"The kubeconfig's credentials could not be obtained: {ExceptionSanitizer.RedactMessage(ex.Message)}", null, ExceptionSanitizer.Sanitize(ex), isFatal: true);
        }
        catch (Exception ex) when (KubeErrors.IsTimeout(ex))
        {
            throw KubeErrors.Timeout(ex, kind, name);
        }
    }

    public static async Task Call(Func<Task> call, string kind, string? name, string? ns) =>
        await Call(async () => { await call().ConfigureAwait(false); return true; }, kind, name, ns).ConfigureAwait(false);

    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Client.Dispose();
    }

    /// <summary>
    /// Marks requests that are safe to repeat for the retry handler: patches (they set values) and
    /// evictions (evicting a terminating pod succeeds). An eviction's 429 without Retry-After is a
    /// disruption budget's answer, returned to the drain instead of retried blindly.
    /// Enforces the request timeout, retries and the reading of the body included, as a TimeoutException
    /// (KubeApiTimeout), never as a cancellation that would look like Ctrl+C. A followed log or a watch is
    /// left streaming, untimed.
    /// </summary>
    private sealed class KubeRequestMarker : DelegatingHandler
    {
        private readonly TimeSpan _timeout;

        public KubeRequestMarker(TimeSpan timeout) => _timeout = timeout;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Patch) RetryHandler.MarkIdempotent(request);
            if (request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith("/eviction", StringComparison.Ordinal) == true)
            {
                RetryHandler.MarkIdempotent(request);
                RetryHandler.MarkThrottleNeedsRetryAfter(request);
            }
            if (_timeout == System.Threading.Timeout.InfiniteTimeSpan || _timeout <= TimeSpan.Zero || IsStream(request))
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
                // The body too, within the same time: the client reads it after this returns, where no timeout would apply.
                using (timeout.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response))
                    await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
                timeout.Token.ThrowIfCancellationRequested();
                return response;
            }
            catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested &&
                                       ex is OperationCanceledException or ObjectDisposedException or IOException or HttpRequestException)
            {
                response?.Dispose();
                throw new TimeoutException($"The Kubernetes API did not answer within {Waiting.Waiter.Format(_timeout)}.", ex);
            }
        }

        /// <summary>A followed log or a watch: its body is an open stream, neither buffered nor timed.</summary>
        private static bool IsStream(HttpRequestMessage request) =>
            request.RequestUri?.Query is { Length: > 0 } query &&
            (query.Contains("follow=true", StringComparison.OrdinalIgnoreCase) || query.Contains("watch=true", StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The API server's Status answer, read from an error response.</summary>
public sealed record KubeStatus(int Code, string Reason, string Message, IReadOnlyList<(string Reason, string Message)> Causes)
{
    public static KubeStatus Parse(int code, string? content)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(content) ? "{}" : content);
            var root = doc.RootElement;
            string S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var causes = new List<(string, string)>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object &&
                d.TryGetProperty("causes", out var cs) && cs.ValueKind == JsonValueKind.Array)
                foreach (var c in cs.EnumerateArray()) causes.Add((S(c, "reason"), S(c, "message")));
            return new KubeStatus(code, S(root, "reason"), S(root, "message"), causes);
        }
        catch (JsonException)
        {
            return new KubeStatus(code, "", content ?? "", Array.Empty<(string, string)>());
        }
    }
}

/// <summary>API failures as errors with specific ids: NodeNotFound, DeploymentNotFound, NamespaceNotFound, KubeForbidden, ...</summary>
public static class KubeErrors
{
    public static OpsException From(HttpOperationException ex, string kind, string? name, string? ns)
    {
        var code = (int)(ex.Response?.StatusCode ?? 0);
        var status = KubeStatus.Parse(code, ex.Response?.Content);
        var message = status.Message.Length > 0 ? status.Message : ExceptionSanitizer.RedactMessage(ex.Message);
        // The client's exception holds the request (a secret's data, for one) and the response: keep neither.
        var inner = ExceptionSanitizer.Sanitize(ex);
        return code switch
        {
            404 when message.StartsWith("namespaces \"", StringComparison.Ordinal) || kind == "Namespace" =>
                new OpsException("NamespaceNotFound", OpsErrorCategory.ObjectNotFound, $"Namespace '{ns ?? name}' does not exist ({message}).", ns ?? name, inner),
            404 => new OpsException(kind + "NotFound", OpsErrorCategory.ObjectNotFound,
                name is null ? message : $"{kind} '{name}'{(ns is null ? "" : $" in namespace '{ns}'")} was not found: {message}", name, inner),
            401 => new OpsException("KubeUnauthorized", OpsErrorCategory.AuthenticationError,
                $"The Kubernetes API rejected the kubeconfig's credentials (401): {message}", name, inner, isFatal: true),
            403 => new OpsException("KubeForbidden", OpsErrorCategory.PermissionDenied, $"Forbidden by the cluster's RBAC: {message}", name, inner),
            409 => new OpsException("KubeConflict", OpsErrorCategory.ResourceBusy, message, name, inner),
            422 or 400 => new OpsException("KubeInvalid", OpsErrorCategory.InvalidArgument, message, name, inner),
            429 => new OpsException("KubeThrottled", OpsErrorCategory.LimitsExceeded, message, name, inner),
            _ => new OpsException("KubeApiError", OpsErrorCategory.NotSpecified, $"The Kubernetes API answered {code}: {message}", name, inner),
        };
    }

    public static OpsException Unreachable(HttpRequestException ex) =>
        new("KubeApiUnreachable", OpsErrorCategory.ConnectionError,
            $"The Kubernetes API server cannot be reached: {ExceptionSanitizer.RedactMessage(ex.Message)}", null, ExceptionSanitizer.Sanitize(ex), isFatal: true);

    /// <summary>
    /// The request timeout ran out: HttpClient's own timeout (a TaskCanceledException around a TimeoutException,
    /// while the caller's token is not cancelled) or the retry handler's TimeoutException. Ctrl+C is not a timeout.
    /// </summary>
    public static bool IsTimeout(Exception ex) =>
        ex is TimeoutException || (ex is OperationCanceledException && ex.InnerException is TimeoutException);

    public static OpsException Timeout(Exception ex, string? kind = null, string? name = null) =>
        new("KubeApiTimeout", OpsErrorCategory.OperationTimeout,
            $"The Kubernetes API did not answer in time{(kind is null ? "" : $" ({kind}{(name is null ? "" : " " + name)})")}; the request timed out. " +
            "It may still have been carried out: check before repeating a change.", name, ExceptionSanitizer.Sanitize(ex));

    /// <summary>A list whose continue token came back a second time would loop for ever.</summary>
    public static OpsException PagingLoop(string kind, string? ns, string token, int pages) =>
        new("KubeApiPagingLoop", OpsErrorCategory.InvalidResult,
            $"The Kubernetes API returned a continue token it had already given while listing {kind}s{(ns is null ? "" : $" in namespace '{ns}'")} " +
            $"(after {pages} pages): listing stopped instead of looping. Token: {(token.Length > 40 ? token[..40] + "..." : token)}", ns);

    public static int StatusCode(HttpOperationException ex) => (int)(ex.Response?.StatusCode ?? HttpStatusCode.OK);
}
