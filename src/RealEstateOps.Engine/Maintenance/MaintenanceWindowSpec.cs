using System.Globalization;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Maintenance;

/// <summary>
/// A recurring maintenance window, written as <c>DAYS HH:MM-HH:MM [ZONE]</c>:
/// DAYS is a comma list of <c>Daily</c>, day names (<c>Sun</c> or <c>Sunday</c>), ranges (<c>Mon-Fri</c>) and
/// monthly ordinals (<c>FirstSat</c>, <c>SecondSat</c>, <c>ThirdSat</c>, <c>FourthSat</c>, <c>LastSat</c>);
/// the times are wall-clock times in ZONE (UTC unless an IANA zone such as <c>Europe/Berlin</c> is given); the end
/// is exclusive, may be <c>24:00</c>, and an end at or before the start means the window ends on the next day.
/// Examples: <c>Sun 01:00-03:00</c>, <c>LastSat 01:00-05:00</c>, <c>Tue,Thu 22:00-23:00</c>, <c>Sat 22:00-02:00 Europe/Berlin</c>.
/// </summary>
public sealed partial class MaintenanceWindowSpec
{
    public const string ErrorId = "MaintenanceWindowSpecInvalid";
    public const string Grammar =
        "write DAYS HH:MM-HH:MM [ZONE], e.g. 'Sun 01:00-03:00', 'LastSat 01:00-05:00', 'Tue,Thu 22:00-23:00' or 'Mon-Fri 22:00-02:00 Europe/Berlin'; " +
        "DAYS are Daily, day names (Sun), ranges (Mon-Fri) or monthly ordinals (FirstSat ... FourthSat, LastSat); the zone is UTC unless an IANA zone is given";

    private static readonly string[] Ordinals = { "First", "Second", "Third", "Fourth" };

    private readonly IReadOnlyList<DayRule> _days;

    private MaintenanceWindowSpec(IReadOnlyList<DayRule> days, TimeSpan start, TimeSpan duration, TimeZoneInfo zone)
    {
        _days = days;
        Start = start;
        Duration = duration;
        Zone = zone;
        var end = start + duration;
        if (end > TimeSpan.FromDays(1)) end -= TimeSpan.FromDays(1);
        Text = $"{DaysText(days)} {Clock(start)}-{Clock(end)}"
               + (IsUtc(zone) ? " UTC" : " " + zone.Id);
    }

    /// <summary>The window in its canonical form (<c>Tue,Thu 22:00-23:00 UTC</c>).</summary>
    public string Text { get; }

    /// <summary>Wall-clock start in <see cref="Zone"/>.</summary>
    public TimeSpan Start { get; }

    /// <summary>Wall-clock length (more than zero, at most a day).</summary>
    public TimeSpan Duration { get; }

    public TimeZoneInfo Zone { get; }

    public override string ToString() => Text;

    [GeneratedRegex(@"^(?<sh>\d{1,2}):(?<sm>\d{2})-(?<eh>\d{1,2}):(?<em>\d{2})$")]
    private static partial Regex TimeRange();

    [GeneratedRegex(@"^(?<ord>First|Second|Third|Fourth|Last)(?<day>[A-Za-z]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex OrdinalDay();

    /// <summary>Parses a window; anything it cannot read is refused with <see cref="ErrorId"/> and the grammar.</summary>
    public static MaintenanceWindowSpec Parse(string? text, string? what = null)
    {
        var name = what ?? "The maintenance window";
        OpsException Bad(string why) => new(ErrorId, OpsErrorCategory.InvalidArgument,
            $"{name} '{text}' is not valid: {why}. {char.ToUpperInvariant(Grammar[0])}{Grammar[1..]}.", text);

        if (string.IsNullOrWhiteSpace(text)) throw Bad("it is empty");
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var timeIndex = Array.FindIndex(tokens, t => t.Contains(':'));
        if (timeIndex < 0) throw Bad("it has no time range HH:MM-HH:MM");
        if (timeIndex == 0) throw Bad("it names no days before the time range");
        if (tokens.Length > timeIndex + 2) throw Bad($"'{string.Join(' ', tokens[(timeIndex + 2)..])}' after the zone is not understood");

        var days = new List<DayRule>();
        foreach (var item in string.Join("", tokens[..timeIndex]).Split(',', StringSplitOptions.RemoveEmptyEntries))
            days.AddRange(ParseDays(item, Bad));
        if (days.Count == 0) throw Bad("it names no days");

        var m = TimeRange().Match(tokens[timeIndex]);
        if (!m.Success) throw Bad($"'{tokens[timeIndex]}' is not a time range HH:MM-HH:MM");
        var start = Time(m.Groups["sh"].Value, m.Groups["sm"].Value, allow24: false, Bad);
        var end = Time(m.Groups["eh"].Value, m.Groups["em"].Value, allow24: true, Bad);
        var duration = end > start ? end - start : end + TimeSpan.FromDays(1) - start;
        if (duration > TimeSpan.FromDays(1)) throw Bad("a window is at most a day long");

        var zone = TimeZoneInfo.Utc;
        if (tokens.Length == timeIndex + 2)
        {
            var zoneName = tokens[timeIndex + 1];
            if (zoneName is "UTC" or "utc" or "Z" or "GMT" or "Etc/UTC") zone = TimeZoneInfo.Utc;
            else
            {
                try { zone = TimeZoneInfo.FindSystemTimeZoneById(zoneName); }
                catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException) { throw Bad($"'{zoneName}' is not a time zone this machine knows (use UTC or an IANA name such as Europe/Berlin)"); }
            }
        }

        // Duplicates collapse (Mon,Mon-Fri); the canonical text keeps the order of the week.
        var distinct = days.Distinct().OrderBy(d => d.Ordinal == 0 ? 0 : 1).ThenBy(d => d.Ordinal == -1 ? 5 : d.Ordinal).ThenBy(d => ((int)d.Day + 6) % 7).ToList();
        if (distinct.Count == 7 && distinct.All(d => d.Ordinal == 0)) distinct = new List<DayRule> { DayRule.Daily };
        return new MaintenanceWindowSpec(distinct, start, duration, zone);
    }

    /// <summary>True when <paramref name="text"/> parses; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(string? text, out MaintenanceWindowSpec? spec, out OpsException? error, string? what = null)
    {
        try { spec = Parse(text, what); error = null; return true; }
        catch (OpsException ex) { spec = null; error = ex; return false; }
    }

    private static IEnumerable<DayRule> ParseDays(string item, Func<string, OpsException> bad)
    {
        if (item.Equals("Daily", StringComparison.OrdinalIgnoreCase))
            return Enum.GetValues<DayOfWeek>().Select(d => new DayRule(d, 0));
        var ordinal = OrdinalDay().Match(item);
        if (ordinal.Success && DayOf(ordinal.Groups["day"].Value) is { } nth)
        {
            var word = ordinal.Groups["ord"].Value;
            var n = word.Equals("Last", StringComparison.OrdinalIgnoreCase) ? -1 : Array.FindIndex(Ordinals, o => o.Equals(word, StringComparison.OrdinalIgnoreCase)) + 1;
            return new[] { new DayRule(nth, n) };
        }
        var dash = item.IndexOf('-');
        if (dash > 0)
        {
            var from = DayOf(item[..dash]) ?? throw bad($"'{item[..dash]}' is not a day");
            var to = DayOf(item[(dash + 1)..]) ?? throw bad($"'{item[(dash + 1)..]}' is not a day");
            var list = new List<DayRule>();
            for (var d = from; ; d = (DayOfWeek)(((int)d + 1) % 7))
            {
                list.Add(new DayRule(d, 0));
                if (d == to) break;
            }
            return list;
        }
        var day = DayOf(item) ?? throw bad($"'{item}' is not a day (Sun ... Sat, Daily, Mon-Fri, FirstSat ... LastSat)");
        return new[] { new DayRule(day, 0) };
    }

    private static DayOfWeek? DayOf(string text)
    {
        foreach (var d in Enum.GetValues<DayOfWeek>())
        {
            var full = d.ToString();
            if (text.Equals(full, StringComparison.OrdinalIgnoreCase) || text.Equals(full[..3], StringComparison.OrdinalIgnoreCase)) return d;
        }
        return null;
    }

    private static TimeSpan Time(string hours, string minutes, bool allow24, Func<string, OpsException> bad)
    {
        var h = int.Parse(hours, CultureInfo.InvariantCulture);
        var m = int.Parse(minutes, CultureInfo.InvariantCulture);
        if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow24)))
            throw bad($"'{hours}:{minutes}' is not a time of day ({(allow24 ? "00:00 to 24:00" : "00:00 to 23:59")})");
        return new TimeSpan(h, m, 0);
    }

    /// <summary>The days as written back: weekly days Monday-first with three or more in a row as a range (Mon-Fri), then the monthly ordinals.</summary>
    private static string DaysText(IReadOnlyList<DayRule> days)
    {
        var parts = new List<string>();
        var weekly = days.Where(d => d.Ordinal == 0 && (int)d.Day >= 0).Select(d => ((int)d.Day + 6) % 7).OrderBy(i => i).ToList();
        for (var i = 0; i < weekly.Count;)
        {
            var j = i;
            while (j + 1 < weekly.Count && weekly[j + 1] == weekly[j] + 1) j++;
            string Name(int mondayFirst) => ((DayOfWeek)((mondayFirst + 1) % 7)).ToString()[..3];
            if (j - i >= 2) parts.Add($"{Name(weekly[i])}-{Name(weekly[j])}");
            else for (var k = i; k <= j; k++) parts.Add(Name(weekly[k]));
            i = j + 1;
        }
        parts.AddRange(days.Where(d => d.Ordinal != 0 || (int)d.Day < 0).Select(d => d.ToString()));
        return string.Join(",", parts);
    }

    private static string Clock(TimeSpan t) => t == TimeSpan.FromDays(1) ? "24:00" : $"{(int)t.TotalHours:00}:{t.Minutes:00}";

    private static bool IsUtc(TimeZoneInfo zone) => zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC";

    /// <summary>Whether the window opens on this local date (the date its start falls on).</summary>
    public bool OpensOn(DateOnly date) => _days.Any(d => d.Matches(date));

    /// <summary>
    /// The occurrences that have not ended at <paramref name="at"/>, in order: first the one open at that moment
    /// (when there is one), then the ones after it. Endless; take what is needed.
    /// </summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> OccurrencesFrom(DateTimeOffset at)
    {
        // A window lasts at most a day, so one opening the day before may still be open.
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime).AddDays(-1);
        while (true)
        {
            if (OpensOn(date))
            {
                var localStart = date.ToDateTime(TimeOnly.MinValue) + Start;
                var start = ToInstant(localStart);
                var end = ToInstant(localStart + Duration);
                if (end > at && end > start) yield return (start, end);
            }
            date = date.AddDays(1);
        }
    }

    /// <summary>A wall-clock time in the zone as an instant: a time a DST change skips moves forward past the gap, an ambiguous one is its first occurrence.</summary>
    private DateTimeOffset ToInstant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (IsUtc(Zone)) return new DateTimeOffset(local, TimeSpan.Zero).ToUniversalTime();
        for (var i = 0; i < 24 * 60 && Zone.IsInvalidTime(local); i++) local = local.AddMinutes(1);
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>One day rule: a weekday, every week (ordinal 0), its nth in the month (1 to 4) or its last (-1).</summary>
    private readonly record struct DayRule(DayOfWeek Day, int Ordinal)
    {
        public static readonly DayRule Daily = new((DayOfWeek)(-1), 0);

        public bool Matches(DateOnly date)
        {
            if ((int)Day == -1) return true;
            if (date.DayOfWeek != Day) return false;
            return Ordinal switch
            {
                0 => true,
                -1 => date.AddDays(7).Month != date.Month,
                var n => (date.Day - 1) / 7 + 1 == n,
            };
        }

        public override string ToString()
        {
            if ((int)Day == -1) return "Daily";
            var name = Day.ToString()[..3];
            return Ordinal switch { 0 => name, -1 => "Last" + name, var n => Ordinals[n - 1] + name };
        }
    }
}
