using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>The Langfuse secret key a started sandbox hands to its clients, in a 0600 file of its state folder (<see cref="SandboxSecretFile"/>).</summary>
public static class LangfuseKeyFile
{
    public const string FileName = "langfuse-secret-key";

    public static string Write(string folder, SandboxSecrets secrets) => SandboxSecretFile.Write(folder, FileName, secrets.LangfuseSecretKey);
}
