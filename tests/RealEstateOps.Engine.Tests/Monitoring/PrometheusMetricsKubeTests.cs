using System.Net.Http.Json;
using System.Text;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Monitoring;
using static RealEstateOps.Engine.Tests.Monitoring.PrometheusMetricsTests;

namespace RealEstateOps.Engine.Tests.Monitoring;

/// <summary>The metrics follow what happens in the Kubernetes sandbox: a ':broken' rollout answers 503 and restarts, a cordon shows.</summary>
public class PrometheusMetricsKubeTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _sandbox;
    public PrometheusMetricsKubeTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private async Task<List<Sample>> ScrapeAsync() => Parse(await _sandbox.Http.GetStringAsync(MonitoringStack.MetricsPath));

    private async Task PatchAsync(string path, string mergePatch)
    {
        using var http = new HttpClient { BaseAddress = _sandbox.Host.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new("Bearer", _sandbox.Secrets.KubeAdminToken);
        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = new StringContent(mergePatch, Encoding.UTF8, "application/merge-patch+json") };
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_broken_image_answers_503_and_its_restarts_grow_and_a_cordon_shows()
    {
        // Sandbox time at 20x: the kubelet's 10-second restarts come every half second.
        using (var clock = await _sandbox.Http.PutAsJsonAsync("/_sandbox/clock", new { speed = 20.0 })) clock.EnsureSuccessStatusCode();
        await PatchAsync("/apis/apps/v1/namespaces/real-estate-ai/deployments/proposal-service",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"proposal\",\"image\":\"real-estate-ai/proposal-service:1.3.0:broken\"}]}}}}");
        await PatchAsync("/api/v1/nodes/ip-10-0-2-34.ec2.internal", "{\"spec\":{\"unschedulable\":true}}");

        List<Sample> samples = new();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        bool Broken503(List<Sample> all) => all.Any(s => s.Name == "http_requests_total" && s.Labels["service"] == "proposal-service" && s.Labels["code"] == "503" && s.Value > 0);
        bool Restarting(List<Sample> all) => all.Any(s => s.Name == "kube_pod_container_status_restarts_total" && s.Labels["service"] == "proposal-service" && s.Value >= 2);
        while (DateTime.UtcNow < deadline)
        {
            samples = await ScrapeAsync();
            if (Broken503(samples) && Restarting(samples)) break;
            await Task.Delay(500);
        }
        Assert.True(Broken503(samples), "no 503 from a broken proposal-service pod");
        Assert.True(Restarting(samples), "the broken pod's restarts did not grow");
        Assert.Equal(1, samples.Single(s => s.Name == "kube_node_spec_unschedulable" && s.Labels["node"] == "ip-10-0-2-34.ec2.internal").Value);
        Assert.Equal(0, samples.Single(s => s.Name == "kube_node_spec_unschedulable" && s.Labels["node"] == "ip-10-0-1-21.ec2.internal").Value);
    }
}
