using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands;

/// <summary>Langfuse for every cmdlet that reads it (the Langfuse cmdlets, the canary's LLM gate): the URL, the key pair and the client.</summary>
public abstract partial class OpsCommandBase
{
    /// <summary>
    /// A Langfuse client from <paramref name="explicitUrl"/>, else the context's ServiceUrls['langfuse'], with the key pair
    /// <see cref="LangfuseResolver"/> finds; where each came from goes to verbose (never the secret key), and so do retries.
    /// </summary>
    protected LangfuseClient OpenLangfuse(string? explicitUrl)
    {
        var url = Setting(explicitUrl, "LangfuseUrl", c => c.ServiceUrls.TryGetValue("langfuse", out var u) ? u : null);
        var target = LangfuseResolver.Resolve(ActiveContext, url);
        foreach (var line in target.Describe()) WriteVerbose(line + ".");
        return LangfuseClient.Create(target, onRetry: RetryNote("Langfuse"));
    }
}
