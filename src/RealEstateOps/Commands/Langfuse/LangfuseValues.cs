using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>PowerShell values as JSON for Langfuse: JSON text stays JSON, hashtables and objects become objects, lists arrays.</summary>
internal static class LangfuseValues
{
    public static JsonNode? ToJson(object? value, int depth = 0)
    {
        if (depth > 20) return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        if (value is PSObject pso)
        {
            if (pso.BaseObject is PSCustomObject)
            {
                var o = new JsonObject();
                foreach (var p in pso.Properties) o[p.Name] = ToJson(p.Value, depth + 1);
                return o;
            }
            value = pso.BaseObject;
        }
        switch (value)
        {
            case null: return null;
            case string s:
                var trimmed = s.TrimStart();
                if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
                {
                    try { return JsonNode.Parse(s); }
                    catch (JsonException) { }
                }
                return JsonValue.Create(s);
            case bool b: return JsonValue.Create(b);
            case int or long or short or byte or uint or ulong or ushort or sbyte: return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case double or float or decimal: return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case DateTime d: return JsonValue.Create(d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            case DateTimeOffset d: return JsonValue.Create(d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            case IDictionary dict:
                var obj = new JsonObject();
                foreach (DictionaryEntry e in dict) obj[e.Key.ToString() ?? ""] = ToJson(e.Value, depth + 1);
                return obj;
            case IEnumerable items:
                return new JsonArray(items.Cast<object?>().Select(i => ToJson(i, depth + 1)).ToArray());
            default: return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
