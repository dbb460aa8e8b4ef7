using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>A rule as the YAML item it is in a rule file (<c>- alert: ...</c>), for display and diffs.</summary>
internal static class PromRuleYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().DisableAliases().Build();

    public static string Of(JsonObject rule) => Serializer.Serialize(new List<object?> { Plain(rule) }).TrimEnd();

    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v => v.ToJsonString(),
        _ => null,
    };
}
