using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.Common;

/// <summary>
/// PowerShell's wildcard patterns (System.Management.Automation.WildcardPattern) without a PowerShell
/// reference, always case-insensitive: '*' any run of characters, '?' one character, '[abc]' one of a set,
/// '[a-z]' a range, '`' escapes the next character (outside and inside brackets). As in PowerShell: a ']'
/// right after '[' is a literal, a '-' that cannot form a range is a literal, '!' and '^' do not negate,
/// a trailing '`' is a literal '`' (and the pattern "`" alone matches the empty string), and a bracket
/// that is never closed or a range whose start is above its end ('[z-a]') makes the pattern invalid:
/// a WildcardPatternInvalid error (never a regular-expression exception).
/// </summary>
public static class Wildcard
{
    /// <summary>Whether the text has any of * ? [ (a pattern rather than a plain name).</summary>
    public static bool HasWildcard(string pattern) => pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    /// <summary>The pattern as an anchored, case-insensitive regular expression; a bad pattern is a WildcardPatternInvalid error.</summary>
    public static Regex ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        Parse(pattern, sb);
        return new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }

    public static bool IsMatch(string value, string pattern) => ToRegex(pattern).IsMatch(value);

    /// <summary>Checks a pattern without matching anything: WildcardPatternInvalid when it is not valid.</summary>
    public static void Validate(string pattern) => Parse(pattern, new StringBuilder());

    private static OpsException Invalid(string pattern, string why) =>
        new("WildcardPatternInvalid", OpsErrorCategory.InvalidArgument,
            $"The wildcard pattern '{pattern}' is not valid: {why}. Use * (any characters), ? (one character), [abc] or [a-z] (one of a set), " +
            "and a backtick (`) before a character to take it literally, e.g. 'ab`[1`]'.", pattern);

    /// <summary>Walks the pattern the way PowerShell's parser does, appending the equivalent regular expression.</summary>
    private static void Parse(string pattern, StringBuilder regex)
    {
        var escaped = false;           // the previous character was an unescaped backtick
        var inBracket = false;
        var bracketJustOpened = false;
        var set = new List<(char C, bool Dash)>();
        foreach (var c in pattern)
        {
            if (inBracket)
            {
                if (c == ']' && !bracketJustOpened && !escaped)
                {
                    inBracket = false;
                    AppendSet(pattern, set, regex);
                    set.Clear();
                }
                else if (c != '`' || escaped)
                {
                    set.Add((c, c == '-' && !escaped));
                }
                bracketJustOpened = false;
            }
            else if (c == '*' && !escaped) regex.Append(".*");
            else if (c == '?' && !escaped) regex.Append('.');
            else if (c == '[' && !escaped)
            {
                inBracket = true;
                bracketJustOpened = true;
            }
            else if (c != '`' || escaped) AppendLiteral(regex, c);
            escaped = c == '`' && !escaped;
        }
        if (inBracket) throw Invalid(pattern, "a '[' is never closed by ']' (write `[ for a literal '[')");
        // A trailing backtick is a literal backtick, except for the pattern "`" alone, which PowerShell treats as ''.
        if (escaped && pattern != "`") AppendLiteral(regex, '`');
    }

    /// <summary>A bracket's content: x-y (an unescaped '-' between two characters) is a range, everything else a literal.</summary>
    private static void AppendSet(string pattern, List<(char C, bool Dash)> set, StringBuilder regex)
    {
        regex.Append('[');
        var i = 0;
        while (i < set.Count)
        {
            if (i + 2 < set.Count && set[i + 1].Dash)
            {
                var (low, high) = (set[i].C, set[i + 2].C);
                if (low > high) throw Invalid(pattern, $"the range '{low}-{high}' runs backwards (write [{high}-{low}])");
                regex.Append(Code(low)).Append('-').Append(Code(high));
                i += 3;
            }
            else
            {
                regex.Append(Code(set[i].C));
                i++;
            }
        }
        regex.Append(']');
    }

    private static string Code(char c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

    private static void AppendLiteral(StringBuilder regex, char c) => regex.Append(Code(c));
}
