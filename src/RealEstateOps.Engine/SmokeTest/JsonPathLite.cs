using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.SmokeTest;

/// <summary>
/// The small JSONPath a smoke check needs: <c>$.a.b</c>, <c>a.b</c>, <c>items[0].id</c>, <c>$['a-b']</c>, and <c>.length</c>
/// of an array. Returns the value as text (a string's own text, other values as JSON), or null when there is none.
/// </summary>
public static partial class JsonPathLite
{
    [GeneratedRegex(@"\G(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['([^']*)'\]|\[""([^""]*)""\])")]
    private static partial Regex Step();

    public static bool TryEvaluate(JsonNode? root, string path, out string? value)
    {
        value = null;
        var p = path.Trim();
        if (p.StartsWith('$')) p = p[1..];
        var node = root;
        var at = 0;
        while (at < p.Length)
        {
            var m = Step().Match(p, at);
            if (!m.Success || m.Length == 0) return false;
            at += m.Length;
            if (m.Groups[2].Success)
            {
                if (node is not JsonArray a) return false;
                var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                if (index >= a.Count) return false;
                node = a[index];
                continue;
            }
            var key = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Success ? m.Groups[3].Value : m.Groups[4].Value;
            if (key == "length" && node is JsonArray arr) { value = arr.Count.ToString(CultureInfo.InvariantCulture); return at == p.Length; }
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out node)) return false;
        }
        value = node switch
        {
            null => "null",
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            _ => node.ToJsonString(),
        };
        return true;
    }
}
