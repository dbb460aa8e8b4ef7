using RealEstateOps.Engine.Common;

namespace RealEstateOps.Sandbox.Security;

/// <summary>
/// How a started sandbox hands a secret to its clients (the Langfuse secret key, the Argo CD token, the webhook URLs and
/// the routing key): one line in a 0600 file of its state folder, named by the info file; never argv or the info file itself.
/// </summary>
public static class SandboxSecretFile
{
    /// <summary>Writes <paramref name="secret"/> to <paramref name="fileName"/> in <paramref name="folder"/> (0600, atomically) and returns the path.</summary>
    public static string Write(string folder, string fileName, string secret)
    {
        var path = Path.Combine(folder, fileName);
        FileUtil.WriteAtomic(path, secret + "\n", ownerOnly: true);
        return path;
    }
}
