using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>Label selectors (=, ==, !=, in, notin, exists, !key) and field selectors (dotted paths with =, ==, !=).</summary>
public static class KubeSelectors
{
    public static Func<JsonObject, bool> Labels(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return _ => true;
        var terms = SplitTerms(selector).Select(ParseLabelTerm).ToList();
        return obj =>
        {
            var labels = KubeStore.Labels(obj);
            return terms.All(t => t(labels));
        };
    }

    /// <summary>Whether a LabelSelector object (matchLabels, matchExpressions) selects these labels.</summary>
    public static bool Matches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null) return false;
        if (selector["matchLabels"] is JsonObject ml)
            foreach (var (k, v) in ml)
                if (!labels.TryGetValue(k, out var actual) || actual != (string?)v) return false;
        if (selector["matchExpressions"] is JsonArray exprs)
            foreach (var e in exprs.OfType<JsonObject>())
            {
                var key = (string)e["key"]!;
                var values = (e["values"] as JsonArray)?.Select(v => (string?)v).ToList() ?? new List<string?>();
                var has = labels.TryGetValue(key, out var val);
                var ok = (string?)e["operator"] switch
                {
                    "In" => has && values.Contains(val),
                    "NotIn" => !has || !values.Contains(val),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    _ => false,
                };
                if (!ok) return false;
            }
        return selector.Count > 0;
    }

    private static IEnumerable<string> SplitTerms(string selector)
    {
        var depth = 0; var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0) { yield return selector[start..i].Trim(); start = i + 1; }
        }
        if (start < selector.Length) yield return selector[start..].Trim();
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseLabelTerm(string term)
    {
        var lower = term.ToLowerInvariant();
        int idx;
        if ((idx = lower.IndexOf(" notin ", StringComparison.Ordinal)) > 0 || (idx = lower.IndexOf(" in ", StringComparison.Ordinal)) > 0)
        {
            var notIn = lower.Contains(" notin ");
            var key = term[..idx].Trim();
            var open = term.IndexOf('('); var close = term.LastIndexOf(')');
            if (open < 0 || close < open) throw KubeApiException.BadRequest($"unable to parse requirement: {term}");
            var values = term[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            return l => notIn ? !l.TryGetValue(key, out var v) || !values.Contains(v) : l.TryGetValue(key, out var w) && values.Contains(w);
        }
        if ((idx = term.IndexOf("!=", StringComparison.Ordinal)) > 0)
        {
            var key = term[..idx].Trim(); var value = term[(idx + 2)..].Trim();
            return l => !l.TryGetValue(key, out var v) || v != value;
        }
        if ((idx = term.IndexOf('=')) > 0)
        {
            var key = term[..idx].Trim(); var value = term[(idx + 1)..].TrimStart('=').Trim();
            return l => l.TryGetValue(key, out var v) && v == value;
        }
        if (term.StartsWith('!')) { var key = term[1..].Trim(); return l => !l.ContainsKey(key); }
        return l => l.ContainsKey(term);
    }

    public static Func<JsonObject, bool> Fields(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return _ => true;
        var terms = new List<Func<JsonObject, bool>>();
        foreach (var term in selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var negate = term.Contains("!=");
            var parts = negate ? term.Split("!=", 2) : term.Split('=', 2);
            if (parts.Length != 2) throw KubeApiException.BadRequest($"invalid field selector: '{term}'");
            var path = parts[0].Trim().Split('.');
            var value = parts[1].TrimStart('=').Trim();
            terms.Add(obj =>
            {
                JsonNode? node = obj;
                foreach (var p in path) node = node?[p];
                var actual = node?.ToString() ?? "";
                return negate ? actual != value : actual == value;
            });
        }
        return obj => terms.All(t => t(obj));
    }
}
