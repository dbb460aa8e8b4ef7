using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Sandbox;

namespace RealEstateOps.Cmdlets.Tests.Support;

/// <summary>
/// A hosted runspace with a sandbox started by <c>Start-OpsSandbox</c> (on the test run's shared PostgreSQL server) and selected with
/// <c>Use-OpsContext sandbox</c>, a client for its control endpoints, and the request counts it keeps (<c>/_sandbox/requests</c>),
/// by which the paging tests prove that a cmdlet did not fetch ahead of the pipeline. Stopped and removed on Dispose.
/// </summary>
public class OpsSandboxSession : IDisposable
{
    /// <param name="speed">The sandbox clock's speed (Start-OpsSandbox -Speed); null for its default.</param>
    public OpsSandboxSession(double? speed = null)
    {
        Shell = new PsSession();
        try
        {
            Shell.SetEnv("REALESTATEOPS_SANDBOX_PG", TestPostgres.AdminConnectionString);
            var start = Shell.Run($"Start-OpsSandbox{(speed is { } s ? $" -Speed {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "")}; Use-OpsContext sandbox");
            if (start.Errors.Count > 0 || start.Terminating is not null)
                throw new InvalidOperationException("Start-OpsSandbox failed: " + string.Join("; ", start.Errors) + start.Terminating);
            Instance = start.Objects<SandboxInstance>().Single();
            Control = SandboxClients.Control(Instance);
        }
        catch
        {
            Shell.Run("Stop-OpsSandbox -Confirm:$false");
            Shell.Dispose();
            throw;
        }
    }

    public PsSession Shell { get; }
    public SandboxInstance Instance { get; }
    public string Url => Instance.Url;

    /// <summary>A client for the control endpoints (/_sandbox/...), its base address the sandbox's URL.</summary>
    public HttpClient Control { get; }

    /// <summary>How many requests of this operation the sandbox has answered (e.g. <c>Requests("DescribeDBInstances")</c>, <c>Requests("DescribeSubnets", "ec2")</c>).</summary>
    public long Requests(string operation, string service = "rds")
    {
        var counts = JsonNode.Parse(Control.GetStringAsync("_sandbox/requests").GetAwaiter().GetResult())!;
        return (long?)counts["operations"]?[service + ":" + operation] ?? 0;
    }

    /// <summary>Forgets the request counts (after seeding, so that a test counts only its own).</summary>
    public void ResetRequests() => Control.DeleteAsync("_sandbox/requests").GetAwaiter().GetResult().Dispose();

    /// <summary>Posts JSON to a control endpoint (seeding); a refusal fails the test with the sandbox's answer.</summary>
    public void Post(string path, string json)
    {
        using var response = Control.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }

    public virtual void Dispose()
    {
        Shell.Run("Stop-OpsSandbox -Confirm:$false");
        Shell.Dispose();
        Control.Dispose();
        GC.SuppressFinalize(this);
    }
}
