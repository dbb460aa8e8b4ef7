using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Monitoring;

/// <summary>
/// JSON written as block-style YAML (what Prometheus' rule files look like): strings double-quoted with JSON's escapes,
/// which YAML's double-quoted scalars share, so every value reads back exactly.
/// </summary>
public static class YamlText
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonNode node)
    {
        var sb = new StringBuilder();
        if (IsInline(node)) return Scalar(node) + "\n";
        Block(sb, node, 0);
        return sb.ToString();
    }

    private static bool IsInline(JsonNode? node) => node is not (JsonObject or JsonArray) || (node is JsonObject { Count: 0 }) || (node is JsonArray { Count: 0 });

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        _ => node.ToJsonString(Relaxed),
    };

    private static void Block(StringBuilder sb, JsonNode node, int indent)
    {
        var pad = new string(' ', indent);
        if (node is JsonObject o)
        {
            foreach (var (key, value) in o)
            {
                sb.Append(pad).Append(JsonSerializer.Serialize(key, Relaxed)).Append(':');
                if (IsInline(value)) sb.Append(' ').Append(Scalar(value)).Append('\n');
                else
                {
                    sb.Append('\n');
                    Block(sb, value!, indent + 2);
                }
            }
            return;
        }
        foreach (var item in (JsonArray)node)
        {
            if (IsInline(item))
            {
                sb.Append(pad).Append("- ").Append(Scalar(item)).Append('\n');
                continue;
            }
            var inner = new StringBuilder();
            Block(inner, item!, indent + 2);
            sb.Append(pad).Append("- ").Append(inner.ToString(indent + 2, inner.Length - indent - 2));
        }
    }
}
