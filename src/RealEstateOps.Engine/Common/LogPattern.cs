using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.Common;

/// <summary>The -Pattern of the log readers (Get-DbLog, Get-PodLog): a .NET regular expression; one that does not parse is LogPatternInvalid.</summary>
public static class LogPattern
{
    /// <summary>The pattern compiled (null for none), matched with a one-second limit per line so a pathological pattern cannot hang a read.</summary>
    public static Regex? Compile(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern)) return null;
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new OpsException("LogPatternInvalid", OpsErrorCategory.InvalidArgument, $"-Pattern '{pattern}' is not a valid regular expression: {ex.Message}", pattern);
        }
    }
}
