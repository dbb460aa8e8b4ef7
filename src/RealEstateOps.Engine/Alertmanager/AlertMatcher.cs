using System.Text;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Alertmanager;

/// <summary>
/// One label matcher as Alertmanager and amtool write it: <c>alertname=HighErrorRate</c>, <c>service=~"api.*"</c>,
/// <c>severity!=info</c>, <c>namespace!~"kube-.*"</c>. Values may be quoted (with \" and \\ escapes) or bare.
/// </summary>
public sealed partial class AlertMatcher
{
    public AlertMatcher(string name, string value, bool isRegex = false, bool isEqual = true)
    {
        Name = name;
        Value = value;
        IsRegex = isRegex;
        IsEqual = isEqual;
    }

    public string Name { get; }
    public string Value { get; }
    public bool IsRegex { get; }
    /// <summary>False for the negative operators (!= and !~).</summary>
    public bool IsEqual { get; }

    public string Operator => (IsEqual, IsRegex) switch { (true, false) => "=", (true, true) => "=~", (false, false) => "!=", (false, true) => "!~" };

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$", RegexOptions.Singleline)]
    private static partial Regex Syntax();

    /// <summary>Reads <c>name=value</c>, <c>name!=value</c>, <c>name=~regex</c> or <c>name!~regex</c>; anything else is AlertMatcherInvalid.</summary>
    public static AlertMatcher Parse(string text)
    {
        var m = Syntax().Match(text ?? "");
        if (!m.Success)
            throw new OpsException("AlertMatcherInvalid", OpsErrorCategory.InvalidArgument,
                $"'{text}' is not a label matcher: write name=value, name!=value, name=~regex or name!~regex (e.g. alertname=HighErrorRate, service=~\"api.*\").", text);
        var op = m.Groups[2].Value;
        var value = m.Groups[3].Value;
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"') value = Unquote(value[1..^1], text!);
        else if (value.Contains('"'))
            throw new OpsException("AlertMatcherInvalid", OpsErrorCategory.InvalidArgument, $"'{text}': a value with a double quote must be quoted as a whole (\"...\").", text);
        return new AlertMatcher(m.Groups[1].Value, value, isRegex: op is "=~" or "!~", isEqual: op is "=" or "=~");
    }

    private static string Unquote(string s, string text)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length) { sb.Append(s[++i] switch { 'n' => '\n', var c => c }); continue; }
            if (s[i] == '"') throw new OpsException("AlertMatcherInvalid", OpsErrorCategory.InvalidArgument, $"'{text}': a double quote inside a quoted value must be escaped (\\\").", text);
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    /// <summary>Whether a label set satisfies this matcher (a missing label is the empty string), with Alertmanager's anchored regular expressions.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var v = labels.TryGetValue(Name, out var found) ? found : "";
        var hit = IsRegex ? Regex.IsMatch(v, "^(?:" + Value + ")$", RegexOptions.None, TimeSpan.FromSeconds(1)) : v == Value;
        return hit == IsEqual;
    }

    /// <summary>The matcher as Alertmanager's filter parameter and amtool take it: <c>name="value"</c>, value quoted and escaped.</summary>
    public override string ToString() => Name + Operator + "\"" + Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";

    /// <summary>A regular expression matching exactly the given values (<c>a|b</c>, each escaped).</summary>
    public static string AnyOf(IEnumerable<string> values) => string.Join("|", values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(RegexEscape));

    /// <summary>RE2-safe escape of a literal (RE2 has no \Q...\E, and .NET's Regex.Escape escapes spaces and '#', which RE2 accepts too).</summary>
    private static string RegexEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
