using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Notification;

/// <summary>
/// Sends a notice to stakeholder channels: one <see cref="NotificationResult"/> per channel, in the channels' order. A
/// channel that fails (its secret missing, the service unreachable or refusing) is reported as an
/// <see cref="OpsItemFailed"/> event and a result with its error id, and the others go on. Channels whose MinimumSeverity
/// is above the notice's are skipped (a verbose note says so, no result). Other commands call this directly
/// (Undo-ArgoApplication -Notify).
/// </summary>
public sealed class OpsNotifier : IDisposable
{
    private readonly NotificationClient _client;
    private readonly bool _ownsClient;
    private readonly Func<string, string?>? _env;

    /// <param name="client">The client to post with; a default one (<see cref="NotificationClient.Create"/>) when null, disposed with this.</param>
    public OpsNotifier(NotificationClient? client = null, Func<string, string?>? environment = null)
    {
        _client = client ?? NotificationClient.Create();
        _ownsClient = client is null;
        _env = environment;
    }

    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }

    /// <summary>Whether a channel takes a notice of this severity.</summary>
    public static bool Takes(NotificationChannel channel, NotificationSeverity severity) => severity >= channel.MinimumSeverity;

    public async Task<IReadOnlyList<NotificationResult>> SendAsync(OpsNotice notice, IReadOnlyList<NotificationChannel> channels, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var results = new List<NotificationResult>();
        foreach (var channel in channels)
        {
            ct.ThrowIfCancellationRequested();
            if (!Takes(channel, notice.Severity))
            {
                events.Verbose($"Channel '{channel.Name}' takes {channel.MinimumSeverity} and above: this {notice.Severity} notice is not sent to it.");
                continue;
            }
            try
            {
                var result = await SendOneAsync(notice, channel, ct).ConfigureAwait(false);
                events.Verbose($"Channel '{channel.Name}' ({channel.Kind}): delivered (HTTP {result.StatusCode}{(result.DedupKey is { } k ? ", dedup key " + k : "")}).");
                results.Add(result);
            }
            catch (OpsException ex)
            {
                events.ItemFailed(ex);
                results.Add(new NotificationResult
                {
                    Channel = channel.Name, Kind = channel.Kind, Delivered = false, ErrorId = ex.ErrorId, Message = ex.Message,
                    StatusCode = (ex as NotificationRejectedException)?.StatusCode,
                });
            }
        }
        return results;
    }

    private async Task<NotificationResult> SendOneAsync(OpsNotice notice, NotificationChannel channel, CancellationToken ct)
    {
        var secret = NotificationSecrets.Read(channel, _env);
        try
        {
            return channel.Kind switch
            {
                NotificationKind.Slack => await WebhookAsync(channel, secret, NotificationPayloads.Slack(notice), ok: a => a.StatusCode == 200 && a.Body == "ok", ct).ConfigureAwait(false),
                NotificationKind.Teams => await WebhookAsync(channel, secret, NotificationPayloads.Teams(notice), ok: a => a.StatusCode is 200 or 202, ct).ConfigureAwait(false),
                _ => await PagerDutyAsync(notice, channel, secret, ct).ConfigureAwait(false),
            };
        }
        catch (OpsException ex)
        {
            var clean = ExceptionSanitizer.WithoutSecret(ex, secret);
            if (ReferenceEquals(clean, ex)) throw;
            throw ex is NotificationRejectedException r ? new NotificationRejectedException(channel.Name, r.StatusCode, clean.Message) : clean;
        }
    }

    private async Task<NotificationResult> WebhookAsync(NotificationChannel channel, string secret, JsonObject body, Func<NotificationAnswer, bool> ok, CancellationToken ct)
    {
        var url = WebhookUrl(channel, secret);
        var answer = await _client.PostAsync(channel.Name, url, body, idempotent: false, secret, ct).ConfigureAwait(false);
        if (!ok(answer))
            throw new NotificationRejectedException(channel.Name, answer.StatusCode,
                $"Channel '{channel.Name}' ({channel.Kind}) refused the notice: HTTP {answer.StatusCode} {Shown(answer.Body)}");
        return new NotificationResult { Channel = channel.Name, Kind = channel.Kind, Delivered = true, StatusCode = answer.StatusCode, Message = Shown(answer.Body) };
    }

    private async Task<NotificationResult> PagerDutyAsync(OpsNotice notice, NotificationChannel channel, string routingKey, CancellationToken ct)
    {
        if (notice.Action != PagerDutyAction.Trigger && string.IsNullOrEmpty(notice.DedupKey))
            throw new OpsException("NotificationDedupKeyRequired", OpsErrorCategory.InvalidArgument,
                $"Channel '{channel.Name}': PagerDuty needs the dedup key of the incident to {notice.Action.ToString().ToLowerInvariant()} (-DedupKey).", channel.Name);
        var endpoint = channel.Endpoint is { Length: > 0 } e ? e : NotificationChannel.PagerDutyEventsUrl;
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new OpsException("NotificationEndpointInvalid", OpsErrorCategory.InvalidArgument, $"Channel '{channel.Name}': the endpoint '{endpoint}' is not an http(s) URL.", channel.Name);
        var answer = await _client.PostAsync(channel.Name, url, NotificationPayloads.PagerDuty(notice, routingKey), idempotent: notice.DedupKey is { Length: > 0 }, routingKey, ct).ConfigureAwait(false);
        JsonObject? parsed = null;
        try { parsed = JsonNode.Parse(answer.Body) as JsonObject; }
        catch (JsonException) { }
        if (answer.StatusCode != 202 || (string?)parsed?["status"] != "success")
        {
            var errors = parsed?["errors"] is JsonArray list ? string.Join("; ", list.Select(x => x?.ToString())) : null;
            var said = parsed is null ? Shown(answer.Body) : string.Join(": ", new[] { (string?)parsed["status"], (string?)parsed["message"] }.Where(x => !string.IsNullOrEmpty(x)));
            throw new NotificationRejectedException(channel.Name, answer.StatusCode,
                $"Channel '{channel.Name}' (PagerDuty) refused the event: HTTP {answer.StatusCode} {said}{(errors is { Length: > 0 } ? ": " + errors : "")}");
        }
        return new NotificationResult
        {
            Channel = channel.Name, Kind = channel.Kind, Delivered = true, StatusCode = answer.StatusCode,
            DedupKey = (string?)parsed?["dedup_key"] ?? notice.DedupKey, Message = (string?)parsed?["message"],
        };
    }

    private static Uri WebhookUrl(NotificationChannel channel, string secret) =>
        Uri.TryCreate(secret, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)
            ? url
            : throw new OpsException("NotificationSecretInvalid", OpsErrorCategory.InvalidData,
                $"Channel '{channel.Name}' ({channel.Kind}): its secret ({channel.SecretSource}) is not an http(s) webhook URL.", channel.Name);

    private static string Shown(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
