using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// A Query-protocol request's parameters (query string and form, the form winning): required and optional values,
/// numbered lists (Name.member.N), tags, filters, identifiers, and MaxRecords/Marker paging, each refused with RDS's own error.
/// </summary>
internal sealed partial class RdsParameters
{
    private readonly Dictionary<string, string> _values;

    private RdsParameters(Dictionary<string, string> values) => _values = values;

    public static async Task<RdsParameters> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in request.Query) p[k] = v.ToString();
        if (request.HasFormContentType)
            foreach (var (k, v) in await request.ReadFormAsync(ct)) p[k] = v.ToString();
        return new RdsParameters(p);
    }

    public string? this[string name] => _values.GetValueOrDefault(name);

    public string Required(string name) =>
        _values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new RdsFault(400, "MissingParameter", $"The request must contain the parameter {name}");

    public bool? OptionalBool(string name) =>
        _values.TryGetValue(name, out var v) && v.Length > 0
            ? v.Equals("true", StringComparison.OrdinalIgnoreCase) ? true : v.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
                : throw new RdsFault(400, "InvalidParameterValue", $"Invalid boolean value {v} for {name}.")
            : null;

    /// <summary>The values of a numbered list (prefix1, prefix2, ...), in order.</summary>
    public List<string> Members(string prefix) =>
        _values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(kv.Key[prefix.Length..], out _))
            .OrderBy(kv => int.Parse(kv.Key[prefix.Length..], CultureInfo.InvariantCulture)).Select(kv => kv.Value).ToList();

    public Dictionary<string, string> Tags()
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; _values.TryGetValue($"Tags.Tag.{i}.Key", out var key) || _values.TryGetValue($"Tags.member.{i}.Key", out key); i++)
            tags[key] = _values.GetValueOrDefault($"Tags.Tag.{i}.Value") ?? _values.GetValueOrDefault($"Tags.member.{i}.Value") ?? "";
        return tags;
    }

    /// <summary>Filters.Filter.N.Name with their Values.Value.M, in order.</summary>
    public IEnumerable<(string Name, HashSet<string> Values)> Filters()
    {
        for (var i = 1; _values.TryGetValue($"Filters.Filter.{i}.Name", out var name); i++)
            yield return (name, Members($"Filters.Filter.{i}.Values.Value.").ToHashSet(StringComparer.OrdinalIgnoreCase));
    }

    [GeneratedRegex("^[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-)$")]
    private static partial Regex IdentifierShape();

    public static void ValidIdentifier(string id, string parameter, int max)
    {
        if (id.Length > max || !IdentifierShape().IsMatch(id))
            throw new RdsFault(400, "InvalidParameterValue",
                $"The parameter {parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.");
    }

    /// <summary>One page of <paramref name="items"/> by MaxRecords (20 to 100, 100 by default) and Marker, and the next page's marker.</summary>
    public (List<T> Page, string? Marker) Page<T>(List<T> items)
    {
        var max = 100;
        if (this["MaxRecords"] is { Length: > 0 } m)
            if (!int.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out max) || max is < 20 or > 100)
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid value {m} for MaxRecords. Must be between 20 and 100");
        var start = 0;
        if (this["Marker"] is { Length: > 0 } marker)
        {
            try { start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(marker)).Split(':')[1], CultureInfo.InvariantCulture); }
            catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new RdsFault(400, "InvalidParameterValue", $"Invalid marker: {marker}");
            }
        }
        var page = items.Skip(start).Take(max).ToList();
        var next = start + page.Count;
        return (page, next < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{next}")) : null);
    }
}
