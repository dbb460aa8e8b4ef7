using System.Text.Json;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.SmokeTest;

/// <summary>Reads a check file: a JSON array of checks, or an object with a "checks" array (names are case-insensitive).</summary>
public static class SmokeCheckFile
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static IReadOnlyList<SmokeCheck> Read(string path)
    {
        if (!File.Exists(path))
            throw new OpsException("SmokeCheckFileNotFound", OpsErrorCategory.ObjectNotFound, $"The check file '{path}' does not exist.", path, isFatal: true);
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (IOException ex)
        {
            throw new OpsException("SmokeCheckFileInvalid", OpsErrorCategory.ReadError, $"The check file '{path}' could not be read: {ex.Message}", path, isFatal: true);
        }
    }

    public static IReadOnlyList<SmokeCheck> Parse(string text, string source)
    {
        List<SmokeCheck>? checks;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var array = doc.RootElement.ValueKind == JsonValueKind.Object && TryGet(doc.RootElement, "checks", out var inner) ? inner : doc.RootElement;
            checks = array.Deserialize<List<SmokeCheck>>(Json);
        }
        catch (JsonException ex)
        {
            throw new OpsException("SmokeCheckFileInvalid", OpsErrorCategory.InvalidData, $"The check file '{source}' is not valid: {ex.Message}", source, isFatal: true);
        }
        checks ??= new();
        for (var i = 0; i < checks.Count; i++)
        {
            var c = checks[i];
            if (string.IsNullOrWhiteSpace(c.Service))
                throw new OpsException("SmokeCheckFileInvalid", OpsErrorCategory.InvalidData, $"Check {i + 1} in '{source}' names no service.", source, isFatal: true);
            if (string.IsNullOrWhiteSpace(c.Name)) c.Name = $"{c.Service} {c.Method.ToUpperInvariant()} {c.Path}";
            if (c.Method.ToUpperInvariant() is not ("GET" or "HEAD" or "POST"))
                throw new OpsException("SmokeCheckFileInvalid", OpsErrorCategory.InvalidData, $"Check '{c.Name}' in '{source}': method '{c.Method}' is not GET, HEAD or POST.", source, isFatal: true);
            if (c.ExpectedStatus is < 100 or > 599)
                throw new OpsException("SmokeCheckFileInvalid", OpsErrorCategory.InvalidData, $"Check '{c.Name}' in '{source}': expectedStatus {c.ExpectedStatus} is not an HTTP status.", source, isFatal: true);
        }
        return checks;
    }

    private static bool TryGet(JsonElement o, string name, out JsonElement value)
    {
        foreach (var p in o.EnumerateObject())
            if (p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) { value = p.Value; return true; }
        value = default;
        return false;
    }
}
