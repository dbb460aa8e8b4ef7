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

    /// <summary>Names of the scalar settings (Region, DbHost, ...), plus Endpoints, ServiceUrls and NotificationChannels.</summary>
    public static IReadOnlyList<string> Names { get; } =
        Scalars.Select(p => p.Name).Concat(new[] { nameof(OpsContext.Endpoints), nameof(OpsContext.ServiceUrls), nameof(OpsContext.NotificationChannels) }).ToArray();

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
        if (stored.NotificationChannels is { } channels)
        {
            // Channel by channel (by name, case-insensitive): the stored one replaces a built-in one of its name.
            var list = merged.NotificationChannels ?? new List<Notification.NotificationChannel>();
            foreach (var c in channels)
            {
                list.RemoveAll(x => x.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase));
                list.Add(c.Clone());
            }
            merged.NotificationChannels = list;
        }
        return merged;
    }

    /// <summary>Clears one named setting (a scalar, or a whole dictionary).</summary>
    public static void Clear(OpsContext context, string name)
    {
        if (name.Equals(nameof(OpsContext.Endpoints), StringComparison.OrdinalIgnoreCase)) { context.Endpoints.Clear(); return; }
        if (name.Equals(nameof(OpsContext.ServiceUrls), StringComparison.OrdinalIgnoreCase)) { context.ServiceUrls.Clear(); return; }
        if (name.Equals(nameof(OpsContext.NotificationChannels), StringComparison.OrdinalIgnoreCase)) { context.NotificationChannels = null; return; }
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
        var ownChannels = stored.NotificationChannels ?? new List<Notification.NotificationChannel>();
        var baseChannels = builtIn.NotificationChannels ?? new List<Notification.NotificationChannel>();
        foreach (var name in ownChannels.Select(c => c.Name).Union(baseChannels.Select(c => c.Name), StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase))
        {
            var own = ownChannels.LastOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            var channel = own ?? baseChannels.Last(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            yield return ($"NotificationChannels.{name}", $"{channel.Kind}, secret from {channel.SecretSource}", own is not null ? $"context '{stored.Name}'" : "built-in default");
        }
    }
}
