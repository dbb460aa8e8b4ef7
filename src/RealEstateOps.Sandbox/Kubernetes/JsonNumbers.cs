using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>Numbers from JSON nodes whichever way they were made (parsed text or values set in code).</summary>
internal static class JsonNumbers
{
    public static long? Long(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number => e.GetInt64(),
        _ => long.TryParse(node.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : null,
    };

    public static int? Int(JsonNode? node) => Long(node) is { } l ? (int)l : null;

    public static double? Double(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => Long(node),
    };
}
