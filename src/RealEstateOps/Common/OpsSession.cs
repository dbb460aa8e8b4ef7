using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Common;

/// <summary>Per-session (per-runspace) state: the context chosen with Use-OpsContext and pipeline correlation ids.</summary>
internal static class OpsSession
{
    private static readonly ConcurrentDictionary<Guid, string> ContextChoice = new();
    private static readonly ConcurrentDictionary<Guid, string> Correlation = new();
    private static readonly ConcurrentDictionary<Guid, bool> Watched = new();

    public static string? ChosenContext(Guid session) => ContextChoice.TryGetValue(session, out var name) ? name : null;

    /// <summary>
    /// The active context of a session: its Use-OpsContext choice, else REALESTATEOPS_CONTEXT, else the stored
    /// current one or the built-in default. The one place cmdlets and argument completers load it from.
    /// </summary>
    public static ActiveContext LoadContext(Guid session, OpsPaths? paths = null) =>
        ContextSelector.Load(new ContextStore(paths ?? OpsPaths.FromEnvironment()), ChosenContext(session));

    /// <summary>The active context of the session running on this thread (for argument completers).</summary>
    public static ActiveContext LoadContext() => LoadContext(Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty);

    public static void Choose(Guid session, string? name)
    {
        if (name is null) ContextChoice.TryRemove(session, out _);
        else ContextChoice[session] = name;
    }

    /// <summary>
    /// One id per top-level pipeline: REALESTATEOPS_CORRELATION_ID when set (a scheduled script run),
    /// else an id that lives while the session is busy with one command line (or one hosted Invoke)
    /// and is dropped when the session becomes available again, so every state change of that
    /// pipeline, including those in its script blocks, shares it.
    /// </summary>
    public static string CorrelationId(Runspace? runspace)
    {
        var fromEnv = Environment.GetEnvironmentVariable("REALESTATEOPS_CORRELATION_ID");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        if (runspace is null) return Guid.NewGuid().ToString("N")[..12];
        if (Watched.TryAdd(runspace.InstanceId, true))
            runspace.AvailabilityChanged += (_, e) =>
            {
                if (e.RunspaceAvailability == RunspaceAvailability.Available) Correlation.TryRemove(runspace.InstanceId, out string? _);
            };
        return Correlation.GetOrAdd(runspace.InstanceId, _ => Guid.NewGuid().ToString("N")[..12]);
    }
}
