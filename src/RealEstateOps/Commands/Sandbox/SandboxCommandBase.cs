using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>What the sandbox cmdlets share: the launcher and where the module ships the sandbox program.</summary>
public abstract class SandboxCommandBase : OpsCommandBase
{
    private readonly OwnedClient<SandboxLauncher> _launcher = new();

    /// <summary>The launcher of this command (its HTTP client for the control endpoints), made on first use.</summary>
    protected SandboxLauncher Launcher => _launcher.Get(() => new SandboxLauncher(Paths));

    /// <summary>Opened here, on the pipeline thread, before any engine work uses it.</summary>
    protected override void BeginProcessingCore() => _ = Launcher;

    /// <summary>Disposed when the pipeline ends, however it ends (see <see cref="OpsCommandBase.Dispose"/>).</summary>
    protected override void ReleaseResources() => _launcher.Release();

    /// <summary>sandbox/RealEstateOps.Sandbox.dll beside the module's assembly; REALESTATEOPS_SANDBOX_DLL overrides it.</summary>
    protected static string SandboxAssembly =>
        Environment.GetEnvironmentVariable("REALESTATEOPS_SANDBOX_DLL") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Path.GetDirectoryName(typeof(SandboxCommandBase).Assembly.Location) ?? ".", "sandbox", "RealEstateOps.Sandbox.dll");
}
