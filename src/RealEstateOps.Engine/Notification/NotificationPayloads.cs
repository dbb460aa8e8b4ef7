using System.Globalization;
using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Notification;

/// <summary>
/// The bodies the services define: a Slack incoming webhook's <c>{text, blocks}</c> (text is the fallback shown in
/// notifications), a Teams webhook's message with an Adaptive Card in <c>attachments</c> (what Workflows webhooks and the
/// older connectors both accept), and a PagerDuty Events API v2 event.
/// </summary>
public static class NotificationPayloads
{
    /// <summary>The notice as plain lines: what, why, status, who (the Slack fallback text and the PagerDuty details).</summary>
    public static string Text(OpsNotice n)
    {
        var lines = new List<string> { $"[{n.Severity}] {n.Title}" };
        if (n.Reason is { Length: > 0 } why) lines.Add("Why: " + why);
        if (n.Status is { Length: > 0 } status) lines.Add("Status: " + status);
        lines.Add("By: " + n.Actor + (n.Source is { Length: > 0 } s ? $" ({s})" : ""));
        return string.Join('\n', lines);
    }

    public static JsonObject Slack(OpsNotice n)
    {
        var fields = new JsonArray
        {
            Mrkdwn("*Why*\n" + Escape(n.Reason ?? "-")),
            Mrkdwn("*Status*\n" + Escape(n.Status ?? "-")),
            Mrkdwn("*By*\n" + Escape(n.Actor)),
            Mrkdwn("*Severity*\n" + n.Severity),
        };
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Shorten(n.Title, 150) } },
            new JsonObject { ["type"] = "section", ["fields"] = fields },
        };
        var context = new List<string>();
        if (n.Source is { Length: > 0 } source) context.Add("Source: " + Escape(source));
        if (n.CorrelationId is { Length: > 0 } id) context.Add("Correlation: " + Escape(id));
        context.AddRange(n.Links.Select(l => $"<{l}>"));
        if (context.Count > 0)
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(context.Select(c => (JsonNode)Mrkdwn(c)).ToArray()) });
        return new JsonObject { ["text"] = Text(n), ["blocks"] = blocks };
    }

    public static JsonObject Teams(OpsNotice n)
    {
        var facts = new JsonArray
        {
            Fact("Why", n.Reason ?? "-"), Fact("Status", n.Status ?? "-"), Fact("By", n.Actor), Fact("Severity", n.Severity.ToString()),
        };
        if (n.Source is { Length: > 0 } source) facts.Add(Fact("Source", source));
        if (n.CorrelationId is { Length: > 0 } id) facts.Add(Fact("Correlation", id));
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = new JsonArray
            {
                new JsonObject { ["type"] = "TextBlock", ["size"] = "Medium", ["weight"] = "Bolder", ["wrap"] = true, ["text"] = n.Title,
                                 ["color"] = n.Severity switch { NotificationSeverity.Critical => "Attention", NotificationSeverity.Warning => "Warning", _ => "Default" } },
                new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
            },
        };
        if (n.Links.Count > 0)
            card["actions"] = new JsonArray(n.Links.Select(l => (JsonNode)new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = l.Host, ["url"] = l.ToString() }).ToArray());
        return new JsonObject
        {
            ["type"] = "message",
            ["summary"] = Shorten(n.Title, 150),
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card }),
        };
    }

    /// <summary>A PagerDuty Events API v2 event: trigger with a payload; acknowledge and resolve need only the dedup key.</summary>
    public static JsonObject PagerDuty(OpsNotice n, string routingKey)
    {
        var action = n.Action switch { PagerDutyAction.Acknowledge => "acknowledge", PagerDutyAction.Resolve => "resolve", _ => "trigger" };
        var body = new JsonObject { ["routing_key"] = routingKey, ["event_action"] = action };
        if (n.DedupKey is { Length: > 0 } key) body["dedup_key"] = key;
        if (n.Action != PagerDutyAction.Trigger) return body;
        var details = new JsonObject { ["what"] = n.Title, ["why"] = n.Reason, ["status"] = n.Status, ["actor"] = n.Actor };
        if (n.CorrelationId is { Length: > 0 } id) details["correlation_id"] = id;
        var payload = new JsonObject
        {
            ["summary"] = Shorten(n.Title + (n.Status is { Length: > 0 } s ? " - " + s : ""), 1024),
            ["source"] = n.Source is { Length: > 0 } src ? src : "RealEstateOps",
            ["severity"] = n.Severity switch { NotificationSeverity.Critical => "critical", NotificationSeverity.Warning => "warning", _ => "info" },
            ["timestamp"] = n.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["custom_details"] = details,
        };
        if (n.Component is { Length: > 0 } component) payload["component"] = component;
        body["payload"] = payload;
        body["client"] = "RealEstateOps";
        if (n.Links.Count > 0)
            body["links"] = new JsonArray(n.Links.Select(l => (JsonNode)new JsonObject { ["href"] = l.ToString(), ["text"] = l.Host }).ToArray());
        return body;
    }

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    /// <summary>Slack's mrkdwn control characters (&amp;, &lt;, &gt;) escaped as Slack asks.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";
}
