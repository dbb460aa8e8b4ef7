using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>The API server's version as /version reports it (major, minor, gitVersion).</summary>
public sealed record KubeServerVersion(string Major, string Minor, string GitVersion)
{
    public JsonObject ToJson() => new()
    {
        ["major"] = Major, ["minor"] = Minor, ["gitVersion"] = GitVersion, ["gitCommit"] = "0000000", ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z", ["goVersion"] = "go1.23.6", ["compiler"] = "gc", ["platform"] = "linux/amd64",
    };
}
