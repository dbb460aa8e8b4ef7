using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace RealEstateOps;

/// <summary>
/// Isolation: the engine and every NuGet dependency live in the module's dependencies/ folder and
/// load into the module's own AssemblyLoadContext (see <see cref="ModuleLoadContext"/> for the ones PowerShell
/// ships itself). The only assembly resolved into it from the default context is the engine itself, so another
/// module that loaded a different Npgsql, AWSSDK.Core or YamlDotNet first does not break us, nor we it.
/// </summary>
public sealed class ModuleInit : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    internal const string EngineAssemblyName = "RealEstateOps.Engine";

    private static readonly string DependencyFolder =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInit).Assembly.Location) ?? ".", "dependencies");

    private static readonly Lazy<ModuleLoadContext> LoadContext = new(() => new ModuleLoadContext(DependencyFolder));

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveEngine;

    public void OnRemove(PSModuleInfo module) => AssemblyLoadContext.Default.Resolving -= ResolveEngine;

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == EngineAssemblyName && Directory.Exists(DependencyFolder)
            ? LoadContext.Value.LoadFromAssemblyName(name)
            : null;
}

/// <summary>
/// Loads what the engine needs, as PowerShellEditorServices does: an assembly PowerShell itself ships (in $PSHOME or the
/// runtime it runs on, the default context's own assemblies) at a version that satisfies the reference is left to the
/// default context, so there is one copy of it in the session (System.Diagnostics.DiagnosticSource, ...); anything else
/// comes from the dependencies folder (Npgsql, AWSSDK, KubernetesClient, YamlDotNet: never shipped with PowerShell, so
/// always ours, whatever another module loaded first).
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private static readonly string PsHome = Path.GetDirectoryName(typeof(PSObject).Assembly.Location) ?? "";

    /// <summary>The default context's own assemblies (the trusted platform assemblies: $PSHOME's and the runtime's), by name.</summary>
    private static readonly Lazy<Dictionary<string, string>> PlatformAssemblies = new(() =>
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        return byName;
    });

    private readonly string _folder;

    public ModuleLoadContext(string folder) : base("RealEstateOps", isCollectible: false) => _folder = folder;

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is null) return null;
        // Null: the default context resolves it. That is the case for everything we do not ship (the runtime's
        // own assemblies: no file is read for them, so importing costs what it did), and for what we ship when
        // PowerShell ships a copy that satisfies the reference.
        var path = Path.Combine(_folder, name.Name + ".dll");
        if (!File.Exists(path)) return null;
        if (IsSatisfying(name, Path.Combine(PsHome, name.Name + ".dll")) ||
            (PlatformAssemblies.Value.TryGetValue(name.Name, out var platform) && IsSatisfying(name, platform)))
            return null;
        return LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Combine(_folder, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }

    /// <summary>Whether the assembly at <paramref name="path"/> is the one <paramref name="required"/> names, at its version or newer.</summary>
    private static bool IsSatisfying(AssemblyName required, string path)
    {
        if (required.Name is "netstandard" or "mscorlib" || !File.Exists(path)) return false;
        try
        {
            var candidate = AssemblyName.GetAssemblyName(path);
            return string.Equals(candidate.Name, required.Name, StringComparison.OrdinalIgnoreCase) &&
                (required.Version is null || candidate.Version >= required.Version);
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException) { return false; }
    }
}
