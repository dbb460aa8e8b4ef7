namespace RealEstateOps.Engine.Context;

/// <summary>Where one effective setting of a context comes from.</summary>
public sealed record ContextSettingSource(string Setting, object? Value, string Source);

/// <summary>Builds what Get-OpsContext shows: the effective context, whether it is active, and each value's source.</summary>
public static class ContextView
{
    public static OpsContext Of(ContextStore store, string name, string? sessionChoice, Func<string, string?>? env = null)
    {
        var stored = store.LoadStored(name);
        var effective = ContextSettings.Merge(stored, OpsContext.BuiltInDefault());
        var active = ContextSelector.ActiveName(sessionChoice, env);
        effective.IsActive = active.Value.Equals(name, StringComparison.OrdinalIgnoreCase);
        effective.ActiveSource = effective.IsActive ? active.Source : null;
        effective.FilePath = File.Exists(store.PathOf(name)) ? store.PathOf(name) : null;
        effective.Sources = ContextSettings.Describe(stored, OpsContext.BuiltInDefault())
            .Select(d => new ContextSettingSource(d.Setting, d.Value, d.Source)).ToList();
        return effective;
    }
}
