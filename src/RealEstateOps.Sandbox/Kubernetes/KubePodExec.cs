using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>
/// The exec subresource's wire: the WebSocket channel protocol as the API server speaks it to kubectl (1.30+ tries
/// WebSockets first) and client libraries. Subprotocols v5.channel.k8s.io and v4.channel.k8s.io: binary messages whose
/// first byte is the channel (0 stdin, 1 stdout, 2 stderr, 3 the ending Status as JSON, 255 a client's close of a
/// channel in v5). The command itself is emulated (<see cref="KubePodShell"/>): nothing runs on the host.
/// A request that is not a WebSocket upgrade gets 400 Upgrade request required (the sandbox does not speak SPDY).
/// </summary>
public static class KubePodExec
{
    public static readonly string[] Protocols = { "v5.channel.k8s.io", "v4.channel.k8s.io" };
    private const byte StdOut = 1, StdErr = 2, Status = 3;

    /// <summary>Checks the pod and container as the API server does, then runs the command over the upgraded connection.</summary>
    public static async Task HandleAsync(HttpContext http, KubeStore store, SandboxContext sandbox, string ns, string name)
    {
        var q = http.Request.Query;
        var command = q["command"].Where(c => c is not null).Select(c => c!).ToList();
        JsonObject pod;
        JsonObject container;
        List<KeyValuePair<string, string>> env;
        var dbHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        lock (store.Gate)
        {
            pod = (JsonObject)store.Require(KubeResources.Pods, ns, name).DeepClone();
            var containers = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new();
            var wanted = (string?)q["container"];
            if (string.IsNullOrEmpty(wanted))
            {
                if (containers.Count != 1)
                    throw KubeApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers.Select(c => (string?)c["name"]))}]");
                wanted = (string?)containers[0]["name"];
            }
            container = containers.FirstOrDefault(c => (string?)c["name"] == wanted) ?? throw KubeApiException.BadRequest($"container {wanted} is not valid for pod {name}");
            if (command.Count == 0) throw KubeApiException.BadRequest("you must specify at least 1 command");
            if ((string?)pod["status"]?["phase"] is "Succeeded" or "Failed")
                throw KubeApiException.BadRequest($"cannot exec into a container in a completed pod; current phase is {(string?)pod["status"]!["phase"]}");
            var running = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>()
                .Any(s => (string?)s["name"] == wanted && s["state"]?["running"] is not null) == true;
            if (!running)
                throw new KubeApiException(500, "InternalError", $"unable to upgrade connection: container not found (\"{wanted}\")");
            env = KubePodShell.Environment(store, pod, container);
            // The pod's database host names: every db-credentials-like secret's host in its namespace (what DB_HOST holds).
            foreach (var secret in store.Items(KubeResources.Secrets).Where(s => KubeStore.NamespaceOf(s) == ns))
            {
                var host = (string?)secret["data"]?["host"] is { } b64 ? Encoding.UTF8.GetString(Convert.FromBase64String(b64)) : (string?)secret["stringData"]?["host"];
                if (!string.IsNullOrEmpty(host)) dbHosts.Add(host);
            }
        }
        var platform = sandbox.Platform;
        if (platform is not null) dbHosts.Add(platform.Host);
        bool IsDbHost(string host) => dbHosts.Contains(host) ||
            (host.StartsWith(Rds.RdsStore.SeedInstanceId + ".", StringComparison.OrdinalIgnoreCase) && host.EndsWith(".rds.amazonaws.com", StringComparison.OrdinalIgnoreCase));
        var shell = new KubePodShell(name, env, IsDbHost, platform is null ? null : (platform.Host, platform.Port), PgIsReadyPath.Value);

        if (!http.WebSockets.IsWebSocketRequest)
            throw KubeApiException.BadRequest("Upgrade request required");
        var offered = http.WebSockets.WebSocketRequestedProtocols;
        var protocol = Protocols.FirstOrDefault(p => offered.Contains(p))
            ?? throw KubeApiException.BadRequest($"unable to upgrade: no supported subprotocol among [{string.Join(", ", offered)}]; supported: {string.Join(", ", Protocols)}");
        using var socket = await http.WebSockets.AcceptWebSocketAsync(protocol);
        var ct = http.RequestAborted;
        // Drain what the client sends (v5 close signals, stdin when asked for): the emulated commands read no input.
        var reading = DrainAsync(socket, ct);
        var outcome = await shell.RunAsync(command, ct);
        if (q["stdout"] is not { Count: > 0 } so || so[0] != "false") await SendAsync(socket, StdOut, outcome.StdOut, ct);
        if (q["stderr"] is not { Count: > 0 } se || se[0] != "false") await SendAsync(socket, StdErr, outcome.StdErr, ct);
        await SendAsync(socket, Status, StatusJson(outcome.ExitCode, command).ToJsonString(), ct);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
            await reading.WaitAsync(TimeSpan.FromSeconds(5), ct);
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException) { }
    }

    /// <summary>The status channel's Status, as the kubelet writes it: Success, or NonZeroExitCode with the code in details.causes.</summary>
    public static JsonObject StatusJson(int exitCode, IReadOnlyList<string> command) => exitCode == 0
        ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }) },
        };

    private static async Task SendAsync(WebSocket socket, byte channel, string text, CancellationToken ct)
    {
        if (text.Length == 0) return;
        var bytes = Encoding.UTF8.GetBytes(text);
        const int chunk = 32 * 1024;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            var size = Math.Min(chunk, bytes.Length - offset);
            var frame = new byte[size + 1];
            frame[0] = channel;
            Buffer.BlockCopy(bytes, offset, frame, 1, size);
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, ct);
        }
    }

    private static async Task DrainAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
    }

    private static readonly Lazy<string?> PgIsReadyPath = new(() =>
    {
        var bin = RealEstateOps.Engine.Postgres.PgServerFolder.FindBinDir();
        if (bin is not null && File.Exists(Path.Combine(bin, "pg_isready"))) return Path.Combine(bin, "pg_isready");
        return RealEstateOps.Engine.Common.ProcessRunner.Which("pg_isready");
    });
}
