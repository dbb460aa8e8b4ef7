using System.Reflection;

namespace RealEstateOps.Engine.Context;

/// <summary>
/// The settings a context can carry, described once: name, how to read and write it. Merging,
/// validation, provenance and the cmdlets' -Clear parameter all walk this one list.
/// </summary>
public static class ContextSettings
{
    private static readonly PropertyInfo[] Scalars = typeof(OpsContext)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.Name != nameof(OpsContext.Name) &&
                    (p.PropertyType == typeof(string) || p.PropertyType == typeof(int?) || p.PropertyType == typeof(double?) || p.PropertyType == typeof(bool?)))
        .ToArray();

    /// <summary>Names of the scalar settings (Region, DbHost, ...), plus Endpoints and ServiceUrls.</summary>
    public static IReadOnlyList<string> Names { get; } =
        Scalars.Select(p => p.Name).Concat(new[] { nameof(OpsContext.Endpoints), nameof(OpsContext.ServiceUrls) }).ToArray();

    internal static IEnumerable<PropertyInfo> ScalarProperties => Scalars;

    /// <summary>Stored values over built-in ones; for dictionaries, key by key.</summary>
    public static OpsContext Merge(OpsContext stored, OpsContext builtIn)
    {
        var merged = builtIn.Clone();
        merged.Name = stored.Name;
        foreach (var p in Scalars)
        {
            var value = p.GetValue(stored);
            if (value is not null) p.SetValue(merged, value);
        }
        foreach (var (k, v) in stored.Endpoints) merged.Endpoints[k] = v;
        foreach (var (k, v) in stored.ServiceUrls) merged.ServiceUrls[k] = v;
        return merged;
    }

    /// <summary>Clears one named setting (a scalar, or a whole dictionary).</summary>
    public static void Clear(OpsContext context, string name)
    {
        if (name.Equals(nameof(OpsContext.Endpoints), StringComparison.OrdinalIgnoreCase)) { context.Endpoints.Clear(); return; }
        if (name.Equals(nameof(OpsContext.ServiceUrls), StringComparison.OrdinalIgnoreCase)) { context.ServiceUrls.Clear(); return; }
        var p = Scalars.FirstOrDefault(x => x.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"'{name}' is not a context setting. Settings: {string.Join(", ", Names)}.");
        p.SetValue(context, null);
    }

    /// <summary>Every setting of a context with its source: where each value came from.</summary>
    public static IEnumerable<(string Setting, object? Value, string Source)> Describe(OpsContext stored, OpsContext builtIn)
    {
        foreach (var p in Scalars)
        {
            var own = p.GetValue(stored);
            var inherited = p.GetValue(builtIn);
            if (own is not null) yield return (p.Name, own, $"context '{stored.Name}'");
            else if (inherited is not null) yield return (p.Name, inherited, "built-in default");
        }
        foreach (var (dictName, ownDict, baseDict) in new[]
                 {
                     ("Endpoints", stored.Endpoints, builtIn.Endpoints),
                     ("ServiceUrls", stored.ServiceUrls, builtIn.ServiceUrls),
                 })
        {
            foreach (var key in ownDict.Keys.Union(baseDict.Keys, StringComparer.OrdinalIgnoreCase).OrderBy(k => k))
            {
                if (ownDict.TryGetValue(key, out var v)) yield return ($"{dictName}.{key}", v, $"context '{stored.Name}'");
                else yield return ($"{dictName}.{key}", baseDict[key], "built-in default");
            }
        }
    }
}
