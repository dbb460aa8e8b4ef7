namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>One request the API server received for a resource of a group/version, who sent it (user agent) and when (sandbox clock).</summary>
public sealed record KubeApiRequest(string Group, string Version, string Resource, string UserAgent, DateTimeOffset At)
{
    public string GroupVersion => Group.Length == 0 ? Version : Group + "/" + Version;
}
