using RealEstateOps.Engine.Common;
using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>The Argo CD token a started sandbox hands to its clients: one line in a 0600 file of its state folder (never argv or the info file).</summary>
public static class ArgoCdTokenFile
{
    public const string FileName = "argocd-token";

    public static string Write(string folder, SandboxSecrets secrets)
    {
        var path = Path.Combine(folder, FileName);
        FileUtil.WriteAtomic(path, secrets.ArgoCdToken + "\n", ownerOnly: true);
        return path;
    }
}
