using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Context;

/// <summary>
/// Chooses the active context: the session's choice (Use-OpsContext) first, then the
/// REALESTATEOPS_CONTEXT environment variable (for scheduled scripts), then the built-in default.
/// </summary>
public static class ContextSelector
{
    public static Resolved<string> ActiveName(string? sessionChoice, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(sessionChoice))
            return new(sessionChoice, "this session (Use-OpsContext)");
        var fromEnv = env(ContextStore.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
            return new(fromEnv, $"environment variable {ContextStore.EnvironmentVariable}");
        return new(OpsContext.DefaultName, "built-in default");
    }

    /// <summary>Loads the active context: its stored settings and the effective ones.</summary>
    public static ActiveContext Load(ContextStore store, string? sessionChoice, Func<string, string?>? env = null)
    {
        var name = ActiveName(sessionChoice, env);
        var stored = store.LoadStored(name.Value);
        return new ActiveContext(name, stored, ContextSettings.Merge(stored, OpsContext.BuiltInDefault()));
    }
}

/// <summary>The context a command runs with, and the rule that a parameter always wins over it.</summary>
public sealed class ActiveContext
{
    public ActiveContext(Resolved<string> name, OpsContext stored, OpsContext effective)
    {
        Name = name;
        Stored = stored;
        Effective = effective;
    }

    public Resolved<string> Name { get; }
    public OpsContext Stored { get; }
    public OpsContext Effective { get; }

    public Resolved<string>? Resolve(string? explicitValue, string parameterName, Func<OpsContext, string?> selector)
    {
        if (!string.IsNullOrEmpty(explicitValue)) return new(explicitValue, $"parameter -{parameterName}");
        var own = selector(Stored);
        if (!string.IsNullOrEmpty(own)) return new(own, $"context '{Name.Value}'");
        var inherited = selector(Effective);
        return string.IsNullOrEmpty(inherited) ? null : new(inherited, "built-in default");
    }

    public Resolved<int>? Resolve(int? explicitValue, string parameterName, Func<OpsContext, int?> selector)
    {
        if (explicitValue is { } v) return new(v, $"parameter -{parameterName}");
        if (selector(Stored) is { } own) return new(own, $"context '{Name.Value}'");
        return selector(Effective) is { } inherited ? new(inherited, "built-in default") : null;
    }

    public Resolved<bool>? Resolve(bool? explicitValue, string parameterName, Func<OpsContext, bool?> selector)
    {
        if (explicitValue is { } v) return new(v, $"parameter -{parameterName}");
        if (selector(Stored) is { } own) return new(own, $"context '{Name.Value}'");
        return selector(Effective) is { } inherited ? new(inherited, "built-in default") : null;
    }

    public Resolved<double>? Resolve(double? explicitValue, string parameterName, Func<OpsContext, double?> selector)
    {
        if (explicitValue is { } v) return new(v, $"parameter -{parameterName}");
        if (selector(Stored) is { } own) return new(own, $"context '{Name.Value}'");
        return selector(Effective) is { } inherited ? new(inherited, "built-in default") : null;
    }
}
