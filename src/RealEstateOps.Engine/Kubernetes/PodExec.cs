using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// kubectl exec: runs a command in a pod's container over the exec API's WebSocket (the channel protocol
/// v4.channel.k8s.io: stdout on channel 1, stderr on 2, the ending Status on 3). A non-zero exit code is a result,
/// not an error; the API's other refusals (no such pod or container, a pod not running) are errors with specific ids.
/// </summary>
public sealed class PodExec
{
    /// <summary>The channel protocol asked for (KubernetesClient's demuxer speaks it; v5 adds only the client's close signal).</summary>
    public const string Protocol = "v4.channel.k8s.io";

    private readonly KubeClient _client;
    private readonly TimeProvider _time;

    public PodExec(KubeClient client, TimeProvider? time = null)
    {
        _client = client;
        _time = time ?? TimeProvider.System;
    }

    public async Task<PodCommandResult> RunAsync(PodCommandRequest request, CancellationToken ct)
    {
        if (request.Command is not { Count: > 0 } || string.IsNullOrEmpty(request.Command[0]))
            throw new OpsException("PodCommandEmpty", OpsErrorCategory.InvalidArgument, "No command to run: give the program and its arguments.");
        if ((request.Pod is null) == (request.Deployment is null))
            throw new OpsException("PodOrDeploymentRequired", OpsErrorCategory.InvalidArgument, "Name either a pod or a deployment (one of the two).");
        if (request.Timeout <= TimeSpan.Zero)
            throw new OpsException("PodCommandTimeoutInvalid", OpsErrorCategory.InvalidArgument, $"Timeout {request.Timeout} is not valid: it must be positive.");
        var ns = request.Namespace;
        var podName = request.Pod ?? await ResolvePodAsync(ns, request.Deployment!, ct).ConfigureAwait(false);
        var pod = await _client.Call(api => api.CoreV1.ReadNamespacedPodAsync(podName, ns, cancellationToken: ct), "Pod", podName, ns).ConfigureAwait(false);
        var container = request.Container ?? Kube.DefaultContainer(pod);
        if (pod.Spec.Containers.All(c => c.Name != container))
            throw new OpsException("ContainerNotFound", OpsErrorCategory.ObjectNotFound,
                $"Pod '{podName}' in namespace '{ns}' has no container '{container}' (it has: {string.Join(", ", pod.Spec.Containers.Select(c => c.Name))}).", container);
        if (pod.Status?.Phase is "Succeeded" or "Failed")
            throw new OpsException("PodNotRunning", OpsErrorCategory.InvalidOperation,
                $"Pod '{podName}' in namespace '{ns}' has ended (phase {pod.Status.Phase}): a command cannot run in it.", podName);

        var command = request.Command.ToArray();
        var started = _time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(request.Timeout);
        try
        {
            WebSocket connected;
            try
            {
                connected = await _client.Call(api => api.WebSocketNamespacedPodExecAsync(podName, ns, command, container,
                    stderr: true, stdin: false, stdout: true, tty: false, webSocketSubProtocol: Protocol, cancellationToken: timeout.Token), "Pod", podName, ns).ConfigureAwait(false);
            }
            catch (WebSocketException ex) when (!timeout.IsCancellationRequested)
            {
                throw UpgradeRefused(ex, ns, podName);
            }
            using var socket = connected;
            using var demuxer = new StreamDemuxer(socket, StreamType.RemoteCommand);
            using var stdout = demuxer.GetStream(ChannelIndex.StdOut, null);
            using var stderr = demuxer.GetStream(ChannelIndex.StdErr, null);
            using var status = demuxer.GetStream(ChannelIndex.Error, null);
            demuxer.Start();
            var outText = ReadAllAsync(stdout, timeout.Token);
            var errText = ReadAllAsync(stderr, timeout.Token);
            var statusText = ReadAllAsync(status, timeout.Token);
            await Task.WhenAll(outText, errText, statusText).WaitAsync(timeout.Token).ConfigureAwait(false);
            var exit = ExitCode(await statusText.ConfigureAwait(false), ns, podName, container);
            return new PodCommandResult
            {
                Namespace = ns, Pod = podName, Container = container, Command = command, ExitCode = exit,
                StdOut = await outText.ConfigureAwait(false), StdErr = await errText.ConfigureAwait(false), Duration = _time.GetElapsedTime(started),
            };
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested && ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException or OpsException { ErrorId: "KubeApiTimeout" })
        {
            throw new OpsException("PodCommandTimeout", OpsErrorCategory.OperationTimeout,
                $"'{FormatCommand(command)}' in pod '{podName}' (container '{container}') did not end within {Waiting.Waiter.Format(request.Timeout)}; it was abandoned (it may still run in the container).", podName);
        }
        catch (WebSocketException ex)
        {
            throw new OpsException("PodExecFailed", OpsErrorCategory.ConnectionError,
                $"The exec stream to pod '{podName}' in namespace '{ns}' failed: {ExceptionSanitizer.RedactMessage(ex.Message)}", podName, ExceptionSanitizer.Sanitize(ex));
        }
    }

    /// <summary>
    /// The API's refusal of the upgrade: the WebSocket client keeps only the status code (not the Status body), so the
    /// error says what that code means for an exec: 401 credentials, 403 RBAC (create on pods/exec), 404 the pod, else the code.
    /// </summary>
    private static OpsException UpgradeRefused(WebSocketException ex, string ns, string pod)
    {
        var match = System.Text.RegularExpressions.Regex.Match(ex.Message, @"status code '(\d{3})'");
        var code = match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var inner = ExceptionSanitizer.Sanitize(ex);
        return code switch
        {
            401 => new OpsException("KubeUnauthorized", OpsErrorCategory.AuthenticationError, "The Kubernetes API rejected the kubeconfig's credentials (401) for exec.", pod, inner, isFatal: true),
            403 => new OpsException("KubeForbidden", OpsErrorCategory.PermissionDenied,
                $"Forbidden by the cluster's RBAC: exec in pod '{pod}' in namespace '{ns}' needs the create verb on pods/exec.", pod, inner),
            404 => new OpsException("PodNotFound", OpsErrorCategory.ObjectNotFound, $"Pod '{pod}' in namespace '{ns}' was not found (it may just have been replaced).", pod, inner),
            _ => new OpsException("PodExecFailed", OpsErrorCategory.ConnectionError,
                $"The Kubernetes API refused the exec request for pod '{pod}' in namespace '{ns}'{(code > 0 ? $" ({code})" : "")}: {ExceptionSanitizer.RedactMessage(ex.Message)}", pod, inner),
        };
    }

    /// <summary>A Ready pod of the deployment (as kubectl exec deploy/NAME picks one): ready and running first, then the oldest.</summary>
    public async Task<string> ResolvePodAsync(string ns, string deployment, CancellationToken ct)
    {
        var d = await _client.Call(api => api.AppsV1.ReadNamespacedDeploymentAsync(deployment, ns, cancellationToken: ct), "Deployment", deployment, ns).ConfigureAwait(false);
        var selector = Kube.SelectorString(d.Spec.Selector);
        var pods = await _client.Call(api => api.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct), "Pod", null, ns).ConfigureAwait(false);
        var ready = pods.Items
            .Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running" && IsReady(p))
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return ready?.Metadata.Name ?? throw new OpsException("DeploymentHasNoReadyPod", OpsErrorCategory.ResourceUnavailable,
            $"Deployment '{deployment}' in namespace '{ns}' has no Ready pod to run the command in ({pods.Items.Count} pod(s) match its selector).", deployment);
    }

    private static bool IsReady(V1Pod p) => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static async Task<string> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The exit code in the status channel's Status: Success is 0, NonZeroExitCode carries it in details.causes[ExitCode];
    /// any other Failure is the API's refusal (container not found or not running, ...), an error.
    /// </summary>
    internal static int ExitCode(string statusJson, string ns, string pod, string container)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
            throw new OpsException("PodExecFailed", OpsErrorCategory.InvalidResult, $"The exec stream of pod '{pod}' in namespace '{ns}' ended without a status: the command's exit code is unknown.", pod);
        V1Status status;
        try { status = KubernetesJson.Deserialize<V1Status>(statusJson); }
        catch (System.Text.Json.JsonException ex)
        {
            throw new OpsException("PodExecFailed", OpsErrorCategory.InvalidResult, $"The exec status of pod '{pod}' is not a Status object: {ex.Message}", pod);
        }
        if (status.Status == "Success") return 0;
        if (status.Reason == "NonZeroExitCode" &&
            status.Details?.Causes?.FirstOrDefault(c => c.Reason == "ExitCode") is { } cause &&
            int.TryParse(cause.Message, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var code))
            return code;
        var message = status.Message ?? status.Reason ?? "unknown failure";
        if (message.Contains("container not found", StringComparison.OrdinalIgnoreCase))
            throw new OpsException("ContainerNotFound", OpsErrorCategory.ObjectNotFound, $"Pod '{pod}' in namespace '{ns}': {message}", container);
        if (message.Contains("not running", StringComparison.OrdinalIgnoreCase) || message.Contains("unable to upgrade", StringComparison.OrdinalIgnoreCase))
            throw new OpsException("PodNotRunning", OpsErrorCategory.InvalidOperation, $"Pod '{pod}' in namespace '{ns}': {message}", pod);
        throw new OpsException("PodExecFailed", OpsErrorCategory.NotSpecified, $"The command could not run in pod '{pod}' in namespace '{ns}': {message}", pod);
    }

    /// <summary>argv as one line, as a shell would read it back.</summary>
    public static string FormatCommand(IEnumerable<string> command) =>
        string.Join(' ', command.Select(a => a.Length > 0 && a.All(ch => char.IsLetterOrDigit(ch) || "-_./=:,@%+$".Contains(ch)) ? a : "'" + a.Replace("'", "'\\''") + "'"));
}
