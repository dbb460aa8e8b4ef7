using System.Globalization;

namespace RealEstateOps.Engine.Common;

public static class Duration
{
    /// <summary>Parses 30 (seconds), 1.5 (seconds), 90s, 5m, 2h, 1d, 500ms, or a TimeSpan (hh:mm:ss).</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        foreach (var (suffix, unit) in new[] { ("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0), ("d", 86400.0) })
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                value = TimeSpan.FromSeconds(n * unit);
                return true;
            }
        }
        return text.Contains(':') && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}
