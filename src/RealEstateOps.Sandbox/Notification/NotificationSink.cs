using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Notification;

/// <summary>What the sandbox's webhooks received (the last 500), for tests and the demo: channel, kind, time and the parsed body.</summary>
public sealed class NotificationSink
{
    private const int Capacity = 500;
    private readonly LinkedList<JsonObject> _items = new();

    public void Add(string channel, string kind, DateTimeOffset receivedAt, JsonNode? body)
    {
        var item = new JsonObject
        {
            ["channel"] = channel,
            ["kind"] = kind,
            ["receivedAt"] = receivedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["body"] = body?.DeepClone(),
        };
        lock (_items)
        {
            _items.AddLast(item);
            while (_items.Count > Capacity) _items.RemoveFirst();
        }
    }

    public JsonArray All()
    {
        lock (_items) return new JsonArray(_items.Select(n => (JsonNode)n.DeepClone()).ToArray());
    }

    public void Clear()
    {
        lock (_items) _items.Clear();
    }
}
