using System.Text.Json;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>The API server's Status answer, read from an error response.</summary>
public sealed record KubeStatus(int Code, string Reason, string Message, IReadOnlyList<(string Reason, string Message)> Causes)
{
    public static KubeStatus Parse(int code, string? content)
    {
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(content) ? "{}" : content);
            var root = doc.RootElement;
            string S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var causes = new List<(string, string)>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Object &&
                d.TryGetProperty("causes", out var cs) && cs.ValueKind == JsonValueKind.Array)
                foreach (var c in cs.EnumerateArray()) causes.Add((S(c, "reason"), S(c, "message")));
            return new KubeStatus(code, S(root, "reason"), S(root, "message"), causes);
        }
        catch (JsonException)
        {
            return new KubeStatus(code, "", content ?? "", Array.Empty<(string, string)>());
        }
    }
}
