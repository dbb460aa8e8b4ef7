using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// Where a command's Langfuse settings come from: the URL from -LangfuseUrl, else the context's ServiceUrls["langfuse"];
/// the public key from the context (LangfusePublicKey), else LANGFUSE_PUBLIC_KEY; the secret key from the context's
/// LangfuseSecretKeyFile, else LANGFUSE_SECRET_KEY. The secret is never a parameter (it would be in argv and history).
/// </summary>
public static class LangfuseResolver
{
    public static Resolved<string>? Url(ActiveContext context, string? explicitUrl) =>
        context.Resolve(explicitUrl, "LangfuseUrl", c => c.ServiceUrls.TryGetValue("langfuse", out var u) ? u : null);

    public static LangfuseTarget Resolve(ActiveContext context, Resolved<string>? url, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var where = url ?? throw new OpsException("LangfuseUrlNotSet", OpsErrorCategory.InvalidArgument,
            "No Langfuse URL: give -LangfuseUrl, or set the context's ServiceUrls langfuse (Set-OpsContext -ServiceUrl @{ langfuse = 'https://...' }).", null, isFatal: true);

        var publicKey = context.Resolve(null, "LangfusePublicKey", c => c.LangfusePublicKey)
                        ?? (environment(LangfuseTarget.PublicKeyVariable) is { Length: > 0 } pk ? new Resolved<string>(pk, "environment " + LangfuseTarget.PublicKeyVariable) : (Resolved<string>?)null)
                        ?? throw NotSet("public key", "Set-OpsContext -LangfusePublicKey pk-lf-...", LangfuseTarget.PublicKeyVariable);

        string secret, source;
        if (context.Resolve(null, "LangfuseSecretKeyFile", c => c.LangfuseSecretKeyFile) is { } file)
        {
            secret = LangfuseKeys.ReadSecretKeyFile(file.Value);
            source = $"file {file.Value} (from {file.Source})";
        }
        else if (environment(LangfuseTarget.SecretKeyVariable) is { Length: > 0 } sk)
        {
            secret = sk;
            source = "environment " + LangfuseTarget.SecretKeyVariable;
        }
        else throw NotSet("secret key", "Set-OpsContext -LangfuseSecretKeyFile <file holding the key>", LangfuseTarget.SecretKeyVariable);

        return new LangfuseTarget(where, publicKey, secret, source);
    }

    private static OpsException NotSet(string what, string howContext, string variable) =>
        new("LangfuseCredentialsNotSet", OpsErrorCategory.AuthenticationError, $"No Langfuse {what}: set it in the context ({howContext}) or in {variable}.", null, isFatal: true);
}
