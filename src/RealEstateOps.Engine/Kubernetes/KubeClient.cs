using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// The client of one cluster, built by KubernetesClient from a kubeconfig (its exec credential plugins,
/// such as aws eks get-token, tokens and certificates all keep working), with our retry handler in its
/// pipeline. Every request goes through <see cref="Call{T}"/>, the one error funnel: the API's answers become
/// OpsExceptions with specific ids (<see cref="KubeErrors"/>), an unreachable server KubeApiUnreachable, a
/// request that ran out of time KubeApiTimeout; the caller's own cancellation stays an OperationCanceledException.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private KubeClient(IKubernetes api, string kubeconfig, string context, string server, string ns)
    {
        Api = api;
        Kubeconfig = kubeconfig;
        Context = context;
        Server = server;
        Namespace = ns;
    }

    /// <summary>The API itself: every request goes through <see cref="Call{T}"/> with it.</summary>
    internal IKubernetes Api { get; }
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

    public static KubeClient Open(KubeTarget target)
    {
        var path = ResolveKubeconfigPath(target.Kubeconfig);
        if (!File.Exists(path))
            throw new OpsException("KubeconfigNotFound", OpsErrorCategory.ObjectNotFound,
                $"No kubeconfig at '{path}'. Give -Kubeconfig, set KubeconfigPath in the context (Set-OpsContext), or write one with 'aws eks update-kubeconfig'.", path, isFatal: true);
        KubernetesClientConfiguration config;
        try
        {
            config = Eks.EksTokenCredentials.BuildConfig(path, target); // aws eks get-token users: tokens minted in-process
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
        var api = target.InnerHandlerForTests is { } inner
            ? new k8s.Kubernetes(config, new KubeRequestMarker(target.RequestTimeout), retry, inner)
            : new k8s.Kubernetes(config, new KubeRequestMarker(target.RequestTimeout), retry);
        var ns = !string.IsNullOrWhiteSpace(target.Namespace) ? target.Namespace! : config.Namespace ?? "default";
        return new KubeClient(api, path, config.CurrentContext ?? "", config.Host ?? "", ns);
    }

    /// <summary>
    /// Sends one request, turning its failures into errors with specific ids: the API's answers (KubeErrors.From),
    /// KubeApiUnreachable when the server cannot be reached,
    /// KubeCredentialsFailed when the kubeconfig's credentials cannot be obtained, KubeApiTimeout when the request
    /// timeout (not Ctrl+C) ran out. No error keeps the client's exception itself: it holds the request and
    /// response, bodies included. <paramref name="kind"/>, <paramref name="name"/> and <paramref name="ns"/> name
    /// what the request is about (PodNotFound, "Pod 'x' in namespace 'y'").
    /// </summary>
    public async Task<T> Call<T>(Func<IKubernetes, Task<T>> call, string kind, string? name, string? ns)
    {
        try
        {
            return await call(Api).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, kind, name, ns) is { } error)
        {
            throw error;
        }
    }

    /// <inheritdoc cref="Call{T}"/>
    public Task Call(Func<IKubernetes, Task> call, string kind, string? name, string? ns) =>
        Call(async api => { await call(api).ConfigureAwait(false); return true; }, kind, name, ns);

    /// <summary>
    /// <see cref="Call{T}"/> for a request whose refusals the caller acts on itself (a drain reads which disruption
    /// budget refused an eviction): null when it was carried out, else the API's Status with the error Call would
    /// have thrown. Every other failure throws as from Call.
    /// </summary>
    internal async Task<KubeRefusal?> TryCall(Func<IKubernetes, Task> call, string kind, string? name, string? ns)
    {
        try
        {
            await call(Api).ConfigureAwait(false);
            return null;
        }
        catch (HttpOperationException ex)
        {
            return new KubeRefusal(KubeErrors.StatusOf(ex), KubeErrors.From(ex, kind, name, ns));
        }
        catch (Exception ex) when (Translate(ex, kind, name, ns) is { } error)
        {
            throw error;
        }
    }

    /// <summary>The error a client's exception stands for; null for what is not a failure of ours to translate (the caller's cancellation).</summary>
    private static OpsException? Translate(Exception ex, string kind, string? name, string? ns) => ex switch
    {
        HttpOperationException http => KubeErrors.From(http, kind, name, ns),
        HttpRequestException request => KubeErrors.Unreachable(request),
        KubernetesClientException credentials => new OpsException("KubeCredentialsFailed", OpsErrorCategory.AuthenticationError,
            $"The kubeconfig's credentials could not be obtained: {ExceptionSanitizer.RedactMessage(credentials.Message)}", null, ExceptionSanitizer.Sanitize(credentials), isFatal: true),
        _ when KubeErrors.IsTimeout(ex) => KubeErrors.Timeout(ex, kind, name),
        _ => null,
    };

    private int _disposed;

    /// <summary>The request header that marks a create as safe to send again (<see cref="RepeatableCreate"/>); removed before the request leaves.</summary>
    internal const string RepeatableHeader = "X-RealEstateOps-Repeatable";

    /// <summary>
    /// Custom headers for a create of a named object whose caller reconciles a repeat: a retried create that meets its own
    /// earlier attempt gets 409 AlreadyExists, which the caller checks against what it wrote (as RdsClient does), so the
    /// RetryHandler may send it again after a 5xx or a dropped connection.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> RepeatableCreate =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase) { [RepeatableHeader] = new[] { "create" } };

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Api.Dispose();
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
            if (request.Headers.Remove(RepeatableHeader)) RetryHandler.MarkIdempotent(request);
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
