using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Engine.Tests.Maintenance;

/// <summary>The window rules and their computation, on a fixed clock.</summary>
public sealed class MaintenanceScheduleTests
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static DateTimeOffset Utc(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    private static MaintenanceSchedule Schedule(DateTimeOffset now, OpsContext? stored = null)
    {
        stored ??= new OpsContext { Name = "t" };
        var active = new ActiveContext(new Resolved<string>(stored.Name, "test"), stored, ContextSettings.Merge(stored, OpsContext.BuiltInDefault()));
        return new MaintenanceSchedule(active, new FixedTime(now));
    }

    [Theory]
    [InlineData("Sun 01:00-03:00", "Sun 01:00-03:00 UTC")]
    [InlineData("LastSat 01:00-05:00", "LastSat 01:00-05:00 UTC")]
    [InlineData("tue, thu 22:00-23:00", "Tue,Thu 22:00-23:00 UTC")]
    [InlineData("Thursday,Tuesday 22:00-23:00 utc", "Tue,Thu 22:00-23:00 UTC")]
    [InlineData("mon-fri 22:00-02:00", "Mon-Fri 22:00-02:00 UTC")]
    [InlineData("Mon,Tue,Wed,Thu,Fri,Sat,Sun 00:00-24:00", "Daily 00:00-24:00 UTC")]
    [InlineData("Fri-Mon 23:30-00:30", "Mon,Fri-Sun 23:30-00:30 UTC")]
    [InlineData("firstsun,LastSat 1:00-5:00 Europe/Berlin", "FirstSun,LastSat 01:00-05:00 Europe/Berlin")]
    public void Rules_parse_to_their_canonical_form(string rule, string canonical)
    {
        var spec = MaintenanceWindowSpec.Parse(rule);
        Assert.Equal(canonical, spec.Text);
        Assert.Equal(canonical, MaintenanceWindowSpec.Parse(spec.Text).Text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Sun", "no time range")]
    [InlineData("01:00-03:00", "names no days")]
    [InlineData("Sun 25:00-26:00", "'25:00' is not a time of day")]
    [InlineData("Sun 24:00-01:00", "'24:00' is not a time of day")]
    [InlineData("Sun 01:60-03:00", "not a time of day")]
    [InlineData("Sun 1-3", "no time range")]
    [InlineData("Sun 1:00-3", "'1:00-3' is not a time range")]
    [InlineData("Funday 01:00-03:00", "'Funday' is not a day")]
    [InlineData("FifthSat 01:00-03:00", "'FifthSat' is not a day")]
    [InlineData("Sun 01:00-03:00 Mars/Olympus", "'Mars/Olympus' is not a time zone")]
    [InlineData("Sun 01:00-03:00 UTC extra", "'extra' after the zone")]
    public void Bad_rules_are_refused_with_the_grammar(string rule, string why)
    {
        var ex = Assert.Throws<OpsException>(() => MaintenanceWindowSpec.Parse(rule));
        Assert.Equal("MaintenanceWindowSpecInvalid", ex.ErrorId);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        Assert.Contains("DAYS HH:MM-HH:MM [ZONE]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runbook_windows_are_the_defaults()
    {
        var s = Schedule(Utc(2025, 1, 6, 12)); // a Monday
        Assert.Equal("Sun 01:00-03:00 UTC", s.Rule(MaintenanceKind.Database).Spec.Text);
        Assert.Equal("LastSat 01:00-05:00 UTC", s.Rule(MaintenanceKind.Kubernetes).Spec.Text);
        Assert.Equal("Tue,Thu 22:00-23:00 UTC", s.Rule(MaintenanceKind.Application).Spec.Text);
        Assert.All(Enum.GetValues<MaintenanceKind>(), k => Assert.Equal("built-in default", s.Rule(k).Source));
        Assert.False(s.IsEnforced);

        var db = s.Current(MaintenanceKind.Database);
        Assert.Equal((Utc(2025, 1, 12, 1), Utc(2025, 1, 12, 3)), (db.Start, db.End));
        Assert.False(db.IsOpen);
        Assert.Equal(TimeSpan.FromHours(24 * 5 + 13), db.OpensIn);
        var app = s.Occurrences(MaintenanceKind.Application).Take(3).Select(w => w.Start).ToList();
        Assert.Equal(new[] { Utc(2025, 1, 7, 22), Utc(2025, 1, 9, 22), Utc(2025, 1, 14, 22) }, app);
    }

    [Fact]
    public void The_last_Saturday_of_a_month_with_five_Saturdays_is_the_fifth()
    {
        // March 2025: Saturdays 1, 8, 15, 22, 29.
        var s = Schedule(Utc(2025, 3, 1));
        var w = s.Current(MaintenanceKind.Kubernetes);
        Assert.Equal((Utc(2025, 3, 29, 1), Utc(2025, 3, 29, 5)), (w.Start, w.End));
        Assert.Equal(new[] { Utc(2025, 3, 29, 1), Utc(2025, 4, 26, 1), Utc(2025, 5, 31, 1) },
            s.Occurrences(MaintenanceKind.Kubernetes).Take(3).Select(o => o.Start));
        Assert.False(s.Check(MaintenanceKind.Kubernetes, Utc(2025, 3, 22, 2)).IsOpen); // the fourth Saturday is not the last
    }

    [Fact]
    public void The_start_is_inside_and_the_end_is_outside()
    {
        var s = Schedule(Utc(2025, 3, 1));
        Assert.False(s.Check(MaintenanceKind.Kubernetes, Utc(2025, 3, 29, 0, 59)).IsOpen);
        var start = s.Check(MaintenanceKind.Kubernetes, Utc(2025, 3, 29, 1));
        Assert.True(start.IsOpen);
        Assert.Equal(TimeSpan.FromHours(4), start.Window.ClosesIn);
        var last = s.Check(MaintenanceKind.Kubernetes, Utc(2025, 3, 29, 4, 59));
        Assert.True(last.IsOpen);
        Assert.Equal(TimeSpan.FromMinutes(1), last.Window.ClosesIn);
        var end = s.Check(MaintenanceKind.Kubernetes, Utc(2025, 3, 29, 5));
        Assert.False(end.IsOpen);
        Assert.Equal(Utc(2025, 4, 26, 1), end.Window.Start); // the next one, a month on
        Assert.Contains("is closed; it next opens Sat 2025-04-26 01:00 UTC, in 27d 20h", end.Summary, StringComparison.Ordinal);
        Assert.Contains("is open until Sat 2025-03-29 05:00 UTC (1m left)", last.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void December_rolls_into_January()
    {
        // The last Saturday of December 2024 is the 28th; after its window the next is January 25, 2025.
        var s = Schedule(Utc(2024, 12, 28, 5));
        var w = s.Current(MaintenanceKind.Kubernetes);
        Assert.Equal(Utc(2025, 1, 25, 1), w.Start);
        // Sunday's database window from the Saturday before New Year's Day 2022.
        Assert.Equal(Utc(2022, 1, 2, 1), Schedule(Utc(2021, 12, 31, 23)).Current(MaintenanceKind.Database).Start);
    }

    [Fact]
    public void A_leap_day_that_is_the_last_Saturday_holds_the_window()
    {
        // February 29, 2020 was a Saturday; in 2024 the 29th was a Thursday, so the last Saturday was the 24th.
        Assert.Equal(Utc(2020, 2, 29, 1), Schedule(Utc(2020, 2, 23)).Current(MaintenanceKind.Kubernetes).Start);
        Assert.Equal(Utc(2024, 2, 24, 1), Schedule(Utc(2024, 2, 1)).Current(MaintenanceKind.Kubernetes).Start);
        var spec = MaintenanceWindowSpec.Parse("Thu 22:00-23:00");
        Assert.Equal(Utc(2024, 2, 29, 22), spec.OccurrencesFrom(Utc(2024, 2, 27)).First().Start);
    }

    [Fact]
    public void A_window_across_midnight_is_open_on_the_next_day_and_found_from_it()
    {
        var stored = new OpsContext { Name = "late", ApplicationWindow = "Fri 22:00-02:00" };
        var s = Schedule(Utc(2025, 1, 11, 1, 30), stored); // Saturday 01:30
        var w = s.Current(MaintenanceKind.Application);
        Assert.True(w.IsOpen);
        Assert.Equal((Utc(2025, 1, 10, 22), Utc(2025, 1, 11, 2)), (w.Start, w.End));
        Assert.Equal("context 'late'", w.Source);
        Assert.False(s.Check(MaintenanceKind.Application, Utc(2025, 1, 11, 2)).IsOpen);
    }

    [Fact]
    public void A_zone_moves_the_window_with_daylight_saving_time()
    {
        var spec = MaintenanceWindowSpec.Parse("Sun 01:00-03:00 Europe/Berlin");
        // Winter: UTC+1; summer: UTC+2.
        Assert.Equal(Utc(2025, 1, 12, 0), spec.OccurrencesFrom(Utc(2025, 1, 10)).First().Start);
        Assert.Equal(Utc(2025, 7, 13, 23, 0).AddDays(-1), spec.OccurrencesFrom(Utc(2025, 7, 10)).First().Start);
        // March 30, 2025: clocks go from 02:00 to 03:00; the window opens at 01:00 CET (00:00 UTC) and closes at 03:00 CEST (01:00 UTC).
        var dst = spec.OccurrencesFrom(Utc(2025, 3, 29)).First();
        Assert.Equal((Utc(2025, 3, 30, 0), Utc(2025, 3, 30, 1)), (dst.Start, dst.End));
    }

    [Fact]
    public void Enforcement_and_rules_come_from_the_context()
    {
        var stored = new OpsContext { Name = "prod", EnforceMaintenanceWindow = true, DatabaseWindow = "Daily 00:00-24:00" };
        var s = Schedule(Utc(2025, 1, 8, 12), stored);
        Assert.True(s.IsEnforced);
        Assert.Equal("context 'prod'", s.Enforcement.Source);
        var db = s.Check(MaintenanceKind.Database);
        Assert.True(db.IsOpen);
        Assert.True(db.Allowed);
        var k = s.Check(MaintenanceKind.Kubernetes);
        Assert.False(k.IsOpen);
        Assert.True(k.Enforced);
        Assert.False(k.Allowed);
        Assert.False(Schedule(Utc(2025, 1, 8, 12)).Check(MaintenanceKind.Kubernetes).Enforced);
        Assert.True(Schedule(Utc(2025, 1, 8, 12)).Check(MaintenanceKind.Kubernetes).Allowed);
    }

    [Fact]
    public void A_context_with_a_bad_rule_is_not_saved()
    {
        var ex = Assert.Throws<OpsException>(() => ContextStore.Validate(new OpsContext { Name = "x", KubernetesWindow = "LastSat 5-1" }, null));
        Assert.Equal("MaintenanceWindowSpecInvalid", ex.ErrorId);
        Assert.Contains("Context 'x': KubernetesWindow 'LastSat 5-1'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OpsContext.EnforceMaintenanceWindow), ContextSettings.Names);
        var merged = ContextSettings.Merge(new OpsContext { Name = "y", EnforceMaintenanceWindow = true }, OpsContext.BuiltInDefault());
        Assert.True(merged.EnforceMaintenanceWindow);
        ContextSettings.Clear(merged, nameof(OpsContext.EnforceMaintenanceWindow));
        Assert.Null(merged.EnforceMaintenanceWindow);
    }
}
