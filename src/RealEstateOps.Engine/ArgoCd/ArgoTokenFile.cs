using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>Reads an Argo CD token file (one line; the sandbox writes one, 0600).</summary>
public static class ArgoTokenFile
{
    public static string Read(string path)
    {
        if (!File.Exists(path))
            throw new OpsException("ArgoCdTokenFileNotFound", OpsErrorCategory.ObjectNotFound, $"The Argo CD token file '{path}' does not exist.", path, isFatal: true)
            { RecommendedAction = "Point -TokenFile or the context (Set-OpsContext -ArgoCdTokenFile) at the file that holds the token, or set ARGOCD_AUTH_TOKEN." };
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OpsException("ArgoCdTokenFileUnreadable", OpsErrorCategory.ReadError, $"The Argo CD token file '{path}' could not be read: {ex.Message}", path, isFatal: true);
        }
        var token = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return string.IsNullOrEmpty(token)
            ? throw new OpsException("ArgoCdTokenFileEmpty", OpsErrorCategory.InvalidData, $"The Argo CD token file '{path}' holds no token.", path, isFatal: true)
            : token;
    }
}
