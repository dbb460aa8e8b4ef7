using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>Reads a Langfuse secret key file (one line; the sandbox writes one, 0600) and says whether others can read it.</summary>
public static class LangfuseKeys
{
    public static string ReadSecretKeyFile(string path)
    {
        if (!File.Exists(path))
            throw new OpsException("LangfuseSecretKeyFileNotFound", OpsErrorCategory.ObjectNotFound,
                $"The Langfuse secret key file '{path}' does not exist.", path, isFatal: true)
            { RecommendedAction = "Point the context at the file that holds the key (Set-OpsContext -LangfuseSecretKeyFile), or set LANGFUSE_SECRET_KEY." };
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OpsException("LangfuseSecretKeyFileUnreadable", OpsErrorCategory.ReadError, $"The Langfuse secret key file '{path}' could not be read: {ex.Message}", path, isFatal: true);
        }
        var key = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(key))
            throw new OpsException("LangfuseSecretKeyFileEmpty", OpsErrorCategory.InvalidData, $"The Langfuse secret key file '{path}' holds no key.", path, isFatal: true);
        return key;
    }
}
