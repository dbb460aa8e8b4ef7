using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Commands.Sandbox;

/// <summary>What the sandbox cmdlets share: the launcher and where the module ships the sandbox program.</summary>
public abstract class SandboxCommandBase : OpsCommandBase
{
    protected SandboxLauncher Launcher => new(Paths);

    /// <summary>sandbox/RealEstateOps.Sandbox.dll beside the module's assembly; REALESTATEOPS_SANDBOX_DLL overrides it.</summary>
    protected static string SandboxAssembly =>
        Environment.GetEnvironmentVariable("REALESTATEOPS_SANDBOX_DLL") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Path.GetDirectoryName(typeof(SandboxCommandBase).Assembly.Location) ?? ".", "sandbox", "RealEstateOps.Sandbox.dll");
}
