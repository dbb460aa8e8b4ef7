using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Engine.Tests.Support;

/// <summary>
/// A sandbox hosted in-process with its real Prometheus and Alertmanager running (Debian's prometheus and
/// prometheus-alertmanager): <see cref="PrometheusUrl"/> scrapes its platform metrics every 2 s and evaluates the
/// platform-alerts rules. <see cref="Available"/> is false (and <see cref="Why"/> says why) where the programs are missing.
/// </summary>
public class MonitoringSandboxFixture : SandboxFixture
{
    protected override void Configure(SandboxOptions options) => options.Monitoring = true;

    public bool Available => Host.Context.Monitoring is not null;
    public string? Why => Host.Context.MonitoringMessage;
    public Uri PrometheusUrl => Host.Context.Monitoring?.PrometheusUrl ?? throw new InvalidOperationException(Why);
    public Uri AlertmanagerUrl => Host.Context.Monitoring?.AlertmanagerUrl ?? throw new InvalidOperationException(Why);

    /// <summary>A plain client (Prometheus and Alertmanager need no credentials on loopback).</summary>
    public HttpClient Plain { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>An instant query's result vector (data.result) from the fixture's Prometheus.</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        var body = await Plain.GetFromJsonAsync<JsonObject>(new Uri(PrometheusUrl, "api/v1/query?query=" + Uri.EscapeDataString(promql)));
        return (JsonArray)body!["data"]!["result"]!;
    }

    /// <summary>Polls <paramref name="probe"/> every 500 ms until it is true or <paramref name="timeout"/> passes; returns the last answer.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> probe, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe()) return true;
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(500);
        }
    }

    public override async Task DisposeAsync()
    {
        Plain.Dispose();
        await base.DisposeAsync();
    }
}
