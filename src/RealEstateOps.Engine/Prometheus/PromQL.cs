using System.Text;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>Writing PromQL safely: label values as quoted strings, regex alternatives escaped (RE2).</summary>
public static class PromQL
{
    /// <summary>A PromQL double-quoted string.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A regular expression (RE2) matching exactly one of the values.</summary>
    public static string Alternatives(IEnumerable<string> values) =>
        string.Join("|", values.Select(v => System.Text.RegularExpressions.Regex.Replace(v, @"[\\.+*?()|\[\]{}^$]", m => "\\" + m.Value)));

    /// <summary>A label matcher for one value (=) or several (=~ with escaped alternatives); null when there are none.</summary>
    public static string? Matcher(string label, IReadOnlyCollection<string>? values) => values switch
    {
        null or { Count: 0 } => null,
        { Count: 1 } => $"{label}={Quote(values.First())}",
        _ => $"{label}=~{Quote(Alternatives(values))}",
    };

    /// <summary>A range duration as PromQL writes it: "90s", "5m", "1h".</summary>
    public static string Duration(TimeSpan d)
    {
        if (d.TotalMilliseconds % 1000 != 0) return $"{(long)d.TotalMilliseconds}ms";
        var s = (long)d.TotalSeconds;
        if (s % 3600 == 0) return $"{s / 3600}h";
        if (s % 60 == 0) return $"{s / 60}m";
        return $"{s}s";
    }
}
