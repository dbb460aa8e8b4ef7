using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>The Argo CD token a started sandbox hands to its clients, in a 0600 file of its state folder (<see cref="SandboxSecretFile"/>).</summary>
public static class ArgoCdTokenFile
{
    public const string FileName = "argocd-token";

    public static string Write(string folder, SandboxSecrets secrets) => SandboxSecretFile.Write(folder, FileName, secrets.ArgoCdToken);
}
