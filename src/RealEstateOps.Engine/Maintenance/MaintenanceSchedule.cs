using System.Globalization;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Engine.Maintenance;

/// <summary>
/// The maintenance windows of a context (its own rules, else the runbook's built-in ones) and their computation on a
/// clock: is a moment inside a kind's window, the occurrence open now or the next ones, and the verdict a state-changing
/// command checks before it changes anything.
/// </summary>
public sealed class MaintenanceSchedule
{
    private readonly ActiveContext _context;
    private readonly TimeProvider _time;
    private readonly Dictionary<MaintenanceKind, (MaintenanceWindowSpec Spec, string Source)> _specs = new();

    public MaintenanceSchedule(ActiveContext context, TimeProvider? time = null)
    {
        _context = context;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The context's name.</summary>
    public string ContextName => _context.Name.Value;

    /// <summary>Whether the context refuses changes outside their window, and where that comes from.</summary>
    public Resolved<bool> Enforcement =>
        _context.Stored.EnforceMaintenanceWindow is { } own ? new(own, $"context '{ContextName}'")
        : new(_context.Effective.EnforceMaintenanceWindow ?? false, "built-in default");

    public bool IsEnforced => Enforcement.Value;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The setting that holds a kind's window (DatabaseWindow, ...).</summary>
    public static string SettingName(MaintenanceKind kind) => kind + "Window";

    public static string? Select(OpsContext context, MaintenanceKind kind) => kind switch
    {
        MaintenanceKind.Database => context.DatabaseWindow,
        MaintenanceKind.Kubernetes => context.KubernetesWindow,
        MaintenanceKind.Application => context.ApplicationWindow,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A kind's window rule and its source; a context's unreadable rule is refused with MaintenanceWindowSpecInvalid.</summary>
    public (MaintenanceWindowSpec Spec, string Source) Rule(MaintenanceKind kind)
    {
        if (_specs.TryGetValue(kind, out var known)) return known;
        var value = _context.Resolve(null, SettingName(kind), c => Select(c, kind))
                    ?? new Resolved<string>(Select(OpsContext.BuiltInDefault(), kind)!, "built-in default");
        var spec = MaintenanceWindowSpec.Parse(value.Value, $"The {kind} maintenance window ({SettingName(kind)}, from {value.Source})");
        return _specs[kind] = (spec, value.Source);
    }

    /// <summary>The occurrences of a kind's window that have not ended at <paramref name="at"/> (default now): the open one first, if any.</summary>
    public IEnumerable<MaintenanceWindow> Occurrences(MaintenanceKind kind, DateTimeOffset? at = null)
    {
        var moment = (at ?? Now).ToUniversalTime();
        var (spec, source) = Rule(kind);
        var enforced = IsEnforced;
        return spec.OccurrencesFrom(moment).Select(o => new MaintenanceWindow
        {
            Kind = kind, Spec = spec.Text, Start = o.Start, End = o.End, At = moment, Source = source, Context = ContextName, Enforced = enforced,
        });
    }

    /// <summary>The occurrence open at the moment, else the next one.</summary>
    public MaintenanceWindow Current(MaintenanceKind kind, DateTimeOffset? at = null) => Occurrences(kind, at).First();

    /// <summary>Whether a change of this kind may be made at the moment (default now), with a sentence that says why.</summary>
    public MaintenanceWindowVerdict Check(MaintenanceKind kind, DateTimeOffset? at = null)
    {
        var window = Current(kind, at);
        return new MaintenanceWindowVerdict { Kind = kind, At = window.At, Window = window, Summary = Describe(window) };
    }

    /// <summary>"The Kubernetes maintenance window (LastSat 01:00-05:00 UTC, from built-in default) is closed; it next opens Sat 2025-01-25 01:00 UTC, in 3d 4h."</summary>
    public static string Describe(MaintenanceWindow w)
    {
        var head = $"The {w.Kind} maintenance window ({w.Spec}, from {w.Source})";
        return w.IsOpen
            ? $"{head} is open until {Instant(w.End)} ({Span(w.ClosesIn)} left)."
            : $"{head} is closed; it next opens {Instant(w.Start)}, in {Span(w.OpensIn)}, until {Instant(w.End)}.";
    }

    /// <summary>An instant as operators read it: <c>Sat 2025-01-25 01:00 UTC</c>.</summary>
    public static string Instant(DateTimeOffset t) => t.ToUniversalTime().ToString("ddd yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A length as operators read it: <c>3d 4h 12m</c>, <c>45m</c>, <c>30s</c>.</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span < TimeSpan.FromMinutes(1)) return $"{(int)span.TotalSeconds}s";
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0 && span.Days == 0) parts.Add($"{span.Minutes}m");
        return parts.Count == 0 ? $"{span.Days}d" : string.Join(" ", parts);
    }
}
