using System.Globalization;
using System.Xml.Linq;
using RealEstateOps.Sandbox.Control;
using static RealEstateOps.Sandbox.Rds.RdsXml;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>One pending maintenance action of an emulated instance (guarded by <see cref="RdsPendingMaintenance"/>'s lock).</summary>
internal sealed class RdsPendingAction
{
    public required string Action { get; init; }
    public required string Description { get; init; }
    public DateTimeOffset? AutoAppliedAfter { get; init; }
    public DateTimeOffset? ForcedApply { get; init; }
    public string? OptInStatus { get; set; }
    public DateTimeOffset? CurrentApply { get; set; }
    /// <summary>For db-upgrade: the engine version the instance has after it.</summary>
    public string? TargetVersion { get; init; }
    /// <summary>Opted in immediately: being applied (the instance is upgrading or modifying); it disappears when that ends.</summary>
    public bool Applying { get; set; }
    /// <summary>Set by the instance's change when it completes (without this class's lock: the instance may complete under the store's).</summary>
    public volatile bool Finished;
}

/// <summary>
/// Pending maintenance actions (DescribePendingMaintenanceActions, ApplyPendingMaintenanceAction) on the sandbox clock. Every instance
/// has a system-update; the platform's seeded instance also a db-upgrade to the next minor engine version, due after 14 days and forced
/// after 45. immediate: the instance is upgrading (db-upgrade) or modifying (system-update) for <see cref="ApplyFor"/> of sandbox time,
/// then available (with the new EngineVersion) and the action is gone; next-maintenance: OptInStatus next-maintenance with the next
/// window's start (sun:01:00-sun:03:00 UTC) as CurrentApplyDate, applied when the clock passes it; undo-opt-in clears the opt-in.
/// </summary>
internal sealed class RdsPendingMaintenance
{
    public static readonly TimeSpan ApplyFor = TimeSpan.FromMinutes(15);
    private static readonly string[] OptInTypes = { "immediate", "next-maintenance", "undo-opt-in" };

    private readonly SandboxClock _clock;
    private readonly RdsStore _store;
    private readonly string _engineVersion;
    private readonly object _gate = new();
    private readonly Dictionary<string, List<RdsPendingAction>> _actions = new(StringComparer.OrdinalIgnoreCase);

    public RdsPendingMaintenance(SandboxClock clock, RdsStore store, string engineVersion)
    {
        _clock = clock;
        _store = store;
        _engineVersion = engineVersion;
    }

    /// <summary>The next minor version: 15.18 becomes 15.19.</summary>
    public static string NextMinor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var minor)
            ? $"{parts[0]}.{minor + 1}" : version + ".1";
    }

    /// <summary>The start of the first maintenance window (Sundays 01:00-03:00 UTC) at or after <paramref name="from"/>.</summary>
    public static DateTimeOffset NextWindow(DateTimeOffset from)
    {
        var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
        for (var i = 0; i < 8; i++)
        {
            var start = day.AddDays(i).AddHours(1);
            if (start.DayOfWeek == DayOfWeek.Sunday && start >= from) return start;
        }
        return day.AddDays(7).AddHours(1);
    }

    private List<RdsPendingAction> ActionsOf(RdsInstance instance)
    {
        if (_actions.TryGetValue(instance.Id, out var list)) return list;
        var now = _clock.UtcNow;
        list = new List<RdsPendingAction>
        {
            new() { Action = "system-update", Description = "New Operating System update is available" },
        };
        if (instance.Id.Equals(RdsStore.SeedInstanceId, StringComparison.OrdinalIgnoreCase))
        {
            var target = NextMinor(instance.EngineVersion ?? _engineVersion);
            var after = now.AddDays(14);
            list.Insert(0, new RdsPendingAction
            {
                Action = "db-upgrade", Description = $"Automatic minor version upgrade to {target}", TargetVersion = target,
                AutoAppliedAfter = after, ForcedApply = now.AddDays(45), CurrentApply = NextWindow(after),
            });
        }
        _actions[instance.Id] = list;
        return list;
    }

    /// <summary>Applies what the clock has reached (next-maintenance opt-ins whose window came) and returns the pending actions of an instance.</summary>
    private List<RdsPendingAction> Current(RdsInstance instance)
    {
        var list = ActionsOf(instance);
        var status = instance.Status(_clock); // completes a finished upgrade, which marks its action Finished
        list.RemoveAll(a => a.Finished);
        foreach (var due in list.Where(a => a is { OptInStatus: "next-maintenance", Applying: false } && a.CurrentApply <= _clock.UtcNow).ToList())
            if (status == "available")
            {
                Start(instance, due);
                status = "upgrading";
            }
        return list;
    }

    private void Start(RdsInstance instance, RdsPendingAction action)
    {
        action.Applying = true;
        action.OptInStatus = "immediate";
        action.CurrentApply = _clock.UtcNow;
        instance.Begin(action.Action == "db-upgrade" ? "upgrading" : "modifying", _clock, ApplyFor, Task.CompletedTask, () =>
        {
            if (action.TargetVersion is { } version) instance.EngineVersion = version;
            action.Finished = true;
        });
    }

    public XElement Describe(RdsParameters p)
    {
        IEnumerable<RdsInstance> instances = _store.Instances;
        if (p["ResourceIdentifier"] is { Length: > 0 } arn) instances = instances.Where(i => InstanceArn(i.Id) == arn);
        foreach (var (name, values) in p.Filters())
        {
            instances = name switch
            {
                "db-instance-id" => instances.Where(i => values.Contains(i.Id) || values.Contains(InstanceArn(i.Id))),
                "db-cluster-id" => Enumerable.Empty<RdsInstance>(),
                _ => throw new RdsFault(400, "InvalidParameterValue", $"Unrecognized filter name: {name}."),
            };
        }
        List<(RdsInstance Instance, List<RdsPendingAction> Actions)> resources;
        lock (_gate)
        {
            resources = instances.OrderBy(i => i.Id, StringComparer.Ordinal)
                .Select(i => (i, Current(i).ToList())).Where(r => r.Item2.Count > 0).ToList();
        }
        var (page, marker) = p.Page(resources);
        return Element("DescribePendingMaintenanceActionsResult",
            Element("PendingMaintenanceActions", page.Select(r => Resource(r.Instance, r.Actions))),
            marker is null ? null : Element("Marker", marker));
    }

    public XElement Apply(RdsParameters p)
    {
        var arn = p.Required("ResourceIdentifier");
        var action = p.Required("ApplyAction");
        var optIn = p.Required("OptInType");
        if (!OptInTypes.Contains(optIn, StringComparer.Ordinal))
            throw new RdsFault(400, "InvalidParameterValue", $"Invalid value {optIn} for OptInType. Valid values: immediate, next-maintenance, undo-opt-in.");
        var instance = _store.Instances.FirstOrDefault(i => InstanceArn(i.Id) == arn)
                       ?? throw new RdsFault(404, "ResourceNotFoundFault", $"The specified resource ARN {arn} was not found.");
        lock (_gate)
        {
            var list = Current(instance);
            var pending = list.FirstOrDefault(a => a.Action == action)
                          ?? throw new RdsFault(400, "InvalidParameterValue", $"No pending maintenance action {action} for resource {arn}.");
            switch (optIn)
            {
                case "immediate" when !pending.Applying:
                    var status = instance.Status(_clock);
                    if (status != "available")
                        throw new RdsFault(400, "InvalidDBInstanceState", $"Database instance is not in available state (it is {status}).");
                    Start(instance, pending);
                    break;
                case "next-maintenance" when !pending.Applying:
                    pending.OptInStatus = "next-maintenance";
                    pending.CurrentApply = NextWindow(_clock.UtcNow);
                    break;
                case "undo-opt-in" when !pending.Applying:
                    pending.OptInStatus = null;
                    pending.CurrentApply = pending.AutoAppliedAfter is { } after ? NextWindow(after) : null;
                    break;
            }
            return Element("ApplyPendingMaintenanceActionResult", Resource(instance, list.ToList()));
        }
    }

    private static XElement Resource(RdsInstance instance, List<RdsPendingAction> actions) =>
        Element("ResourcePendingMaintenanceActions",
            Element("ResourceIdentifier", InstanceArn(instance.Id)),
            Element("PendingMaintenanceActionDetails", actions.Select(a => Element("PendingMaintenanceAction",
                Element("Action", a.Action),
                a.AutoAppliedAfter is { } after ? Element("AutoAppliedAfterDate", Time(after)) : null,
                a.ForcedApply is { } forced ? Element("ForcedApplyDate", Time(forced)) : null,
                a.OptInStatus is { } optIn ? Element("OptInStatus", optIn) : null,
                a.CurrentApply is { } current ? Element("CurrentApplyDate", Time(current)) : null,
                Element("Description", a.Description)))));
}
