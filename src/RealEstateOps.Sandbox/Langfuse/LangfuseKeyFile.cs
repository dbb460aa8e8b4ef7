using RealEstateOps.Engine.Common;
using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>The Langfuse secret key a started sandbox hands to its clients: one line in a 0600 file of its state folder (never argv or the info file).</summary>
public static class LangfuseKeyFile
{
    public const string FileName = "langfuse-secret-key";

    public static string Write(string folder, SandboxSecrets secrets)
    {
        var path = Path.Combine(folder, FileName);
        FileUtil.WriteAtomic(path, secrets.LangfuseSecretKey + "\n", ownerOnly: true);
        return path;
    }
}
