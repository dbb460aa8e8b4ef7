using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace RealEstateOps;

/// <summary>
/// Isolation: the engine and every NuGet dependency live in the module's dependencies/ folder and
/// load into the module's own AssemblyLoadContext. The only assembly resolved into it from the
/// default context is the engine itself, so another module that loaded a different Npgsql,
/// AWSSDK.Core or YamlDotNet first does not break us, nor we it.
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

/// <summary>Loads what the engine needs from the dependencies folder; anything else (the .NET runtime) from the default context.</summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly string _folder;

    public ModuleLoadContext(string folder) : base("RealEstateOps", isCollectible: false) => _folder = folder;

    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(_folder, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Combine(_folder, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
