using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox;
using RealEstateOps.Sandbox.Postgres;

namespace RealEstateOps.Engine.Tests.Sandbox;

/// <summary>A minimal service for exercising the sandbox's own machinery (faults, counts); it answers /probe/*.</summary>
public sealed class ProbeService : ISandboxService
{
    public string Name => "probe";
    public bool Owns(HttpRequest request) => request.Path.StartsWithSegments("/probe");
    public string OperationOf(HttpRequest request) => "Probe" + request.Method;
    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox) => endpoints.MapGet("/probe/{n}", (string n) => Results.Text("ok " + n));
    public RealEstateOps.Sandbox.Control.FaultKind ThrottleFault => new(400, "Throttling");
    public Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox) => Task.FromResult(true); // a test probe: open
    public Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsync($"<Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }
}

public sealed class ProbeSandboxFixture : SandboxFixture
{
    protected override IEnumerable<ISandboxService> ExtraServices => new[] { new ProbeService() };
}

public class SandboxHostTests : IClassFixture<ProbeSandboxFixture>
{
    private readonly ProbeSandboxFixture _sandbox;
    public SandboxHostTests(ProbeSandboxFixture sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task Info_describes_the_sandbox_and_its_database_without_the_password()
    {
        var text = await _sandbox.Http.GetStringAsync("_sandbox/info");
        var info = JsonNode.Parse(text)!;
        Assert.Equal(_sandbox.Host.BaseUrl.Port, (int)info["port"]!);
        Assert.Equal(_sandbox.Host.Platform.Database, (string)info["database"]!["name"]!);
        Assert.Contains("probe", info["services"]!.AsArray().Select(s => (string)s!));
        Assert.DoesNotContain(_sandbox.Host.Platform.Password, text);
    }

    [Fact]
    public async Task The_platform_database_is_seeded_and_reachable_with_the_password_file()
    {
        var p = _sandbox.Host.Platform;
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = p.Host, Port = p.Port, Database = p.Database, User = p.User, PassFile = p.PassFile }, CancellationToken.None);
        Assert.True(result.IsReady, result.Error);
        Assert.Equal(p.PgVector, result.PgVectorInstalled);

        await using var conn = new NpgsqlConnection(p.AppConnectionString);
        await conn.OpenAsync();
        foreach (var (table, rows) in PlatformDatabase.SeedCounts)
        {
            await using var cmd = new NpgsqlCommand($"select count(*) from {table}", conn);
            Assert.Equal((long)rows, (long)(await cmd.ExecuteScalarAsync())!);
        }
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(p.PassFile));
    }

    [Fact]
    public async Task Faults_are_injected_in_the_services_format_and_counted()
    {
        await _sandbox.Http.DeleteAsync("_sandbox/requests");
        Assert.Equal("ok 1", await _sandbox.Http.GetStringAsync("probe/1"));

        var put = await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/probe", new { errorRate = 1.0, errors = new[] { new { status = 503, code = "SlowDown" } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var failed = await _sandbox.Http.GetAsync("probe/2");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Contains("<Code>SlowDown</Code>", await failed.Content.ReadAsStringAsync());
        Assert.NotNull(failed.Headers.RetryAfter);

        await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/probe", new { errorRate = 1.0 });
        var throttled = await _sandbox.Http.GetAsync("probe/3");
        Assert.Contains((int)throttled.StatusCode, new[] { 400, 500, 503 }); // the service's throttle (400 Throttling), 503 or 500

        await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/probe", new { dropRate = 1.0 });
        await Assert.ThrowsAsync<HttpRequestException>(() => _sandbox.Http.GetAsync("probe/4"));

        await _sandbox.Http.DeleteAsync("_sandbox/faults");
        Assert.Equal("ok 5", await _sandbox.Http.GetStringAsync("probe/5"));

        var counts = JsonNode.Parse(await _sandbox.Http.GetStringAsync("_sandbox/requests"))!;
        Assert.Equal(5, (long)counts["services"]!["probe"]!);
        Assert.Equal(5, (long)counts["operations"]!["probe:ProbeGET"]!);
        Assert.Equal(3, (long)counts["faultsInjected"]!);
    }

    [Fact]
    public async Task Latency_is_added_to_each_request()
    {
        await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/probe", new { latencyMs = 300 });
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await _sandbox.Http.GetStringAsync("probe/9");
            Assert.True(watch.ElapsedMilliseconds >= 290, $"took {watch.ElapsedMilliseconds} ms");
        }
        finally
        {
            await _sandbox.Http.DeleteAsync("_sandbox/faults");
        }
    }

    [Fact]
    public async Task Bad_fault_settings_and_unknown_services_are_rejected()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/probe", new { errorRate = 2.0 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _sandbox.Http.PutAsJsonAsync("_sandbox/faults/nosuch", new { errorRate = 0.5 })).StatusCode);
        Assert.Equal("{}", (await _sandbox.Http.GetStringAsync("_sandbox/faults")).Replace(" ", ""));
    }

    [Fact]
    public async Task The_clock_runs_at_the_set_speed()
    {
        var put = await _sandbox.Http.PutAsJsonAsync("_sandbox/clock", new { speed = 100.0 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        try
        {
            var before = _sandbox.Host.Context.Clock.UtcNow;
            await Task.Delay(200);
            var simulated = _sandbox.Host.Context.Clock.UtcNow - before;
            Assert.True(simulated >= TimeSpan.FromSeconds(15), $"simulated {simulated}");
            Assert.Equal(HttpStatusCode.BadRequest, (await _sandbox.Http.PutAsJsonAsync("_sandbox/clock", new { speed = 0 })).StatusCode);
            // The module's limit (SandboxSpeed.Max) holds at the sandbox too, for callers of the raw endpoint.
            Assert.Equal(HttpStatusCode.BadRequest, (await _sandbox.Http.PutAsJsonAsync("_sandbox/clock", new { speed = RealEstateOps.Engine.Sandbox.SandboxSpeed.Max * 2 })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await _sandbox.Http.PutAsync("_sandbox/clock", new StringContent("not json", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        }
        finally
        {
            await _sandbox.Http.PutAsJsonAsync("_sandbox/clock", new { speed = 1.0 });
        }
    }
}

public class SandboxOptionsTests
{
    [Fact]
    public void Parses_arguments_and_rejects_bad_values()
    {
        var o = SandboxOptions.Parse(new[] { "--port", "4566", "--speed", "10", "--fault-rate", "0.2" }, _ => "Host=x");
        Assert.Equal((4566, 10.0, 0.2, "Host=x"), (o.Port, o.Speed, o.FaultRate, o.PostgresConnectionString));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--speed", "0" }, _ => null));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--fault-rate", "1.5" }, _ => null));
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--bogus" }, _ => null));
    }
}
