using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Support;

/// <summary>Clients for a sandbox started with Start-OpsSandbox, with the secrets of that start (read from its 0600 files).</summary>
public static class SandboxClients
{
    /// <summary>A client for the control endpoints (/_sandbox/...), carrying the control token.</summary>
    public static HttpClient Control(SandboxInstance instance)
    {
        var http = new HttpClient { BaseAddress = new Uri(instance.Url) };
        http.DefaultRequestHeaders.Add("X-Sandbox-Token", File.ReadAllText(instance.ControlTokenFile!).Trim());
        return http;
    }

    /// <summary>The sandbox's AWS key from its shared credentials file (profile 'sandbox', or 'sandbox-readonly').</summary>
    public static AWSCredentials Credentials(SandboxInstance instance, string profile = "sandbox")
    {
        var file = new SharedCredentialsFile(Path.Combine(instance.StateFolder, "aws-credentials"));
        if (!file.TryGetProfile(profile, out var p) || !AWSCredentialsFactory.TryGetAWSCredentials(p, file, out var credentials))
            throw new InvalidOperationException($"No profile '{profile}' in the sandbox's aws-credentials file.");
        return credentials;
    }
}
