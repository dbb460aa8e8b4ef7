using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace RealEstateOps.Sandbox.Control;

/// <summary>
/// The control plane of the sandbox itself (not of any emulated service), under /_sandbox:
/// health, info, fault injection per service, request counts, the clock and shutdown.
/// </summary>
public static class ControlEndpoints
{
    public const string Prefix = "/_sandbox";

    public static void Map(WebApplication app, SandboxContext sandbox, IReadOnlyList<ISandboxService> services)
    {
        var g = app.MapGroup(Prefix);
        g.MapGet("/health", () => Results.Json(new { status = "ok" }));
        g.MapGet("/info", (HttpContext http) => http.RequestServices.GetRequiredService<SandboxInfoSource>().Info is { } info
            ? Results.Json(info(), SandboxHost.Json)
            : Problem(503, "SandboxStarting", "The sandbox is still starting.")); // listening already, not yet described

        g.MapGet("/faults", () => Results.Json(sandbox.Faults.All, SandboxHost.Json));
        g.MapPut("/faults/{service}", async (string service, HttpRequest request) =>
        {
            // The emulated services, and the platform services whose synthetic traffic the metrics follow (Monitoring/PlatformTraffic).
            if (service != FaultInjector.AllServices && !services.Any(s => s.Name.Equals(service, StringComparison.OrdinalIgnoreCase)) && !Monitoring.PlatformTraffic.IsPlatformService(service))
                return Problem(404, "UnknownService", $"No service '{service}'. Services: {string.Join(", ", services.Select(s => s.Name).Concat(Monitoring.PlatformTraffic.Services.Select(p => p.Name)).Append(FaultInjector.AllServices))}.");
            if (Monitoring.PlatformTraffic.IsPlatformService(service)) service = service.ToLowerInvariant();
            try
            {
                var settings = await request.ReadFromJsonAsync<FaultSettings>(SandboxHost.Json) ?? new FaultSettings();
                sandbox.Faults.Set(service, settings);
                return Results.Json(settings, SandboxHost.Json);
            }
            catch (Exception ex) when (ex is ArgumentException or System.Text.Json.JsonException)
            {
                return Problem(400, "InvalidFaultSettings", ex.Message);
            }
        });
        g.MapDelete("/faults", () => { sandbox.Faults.Reset(); return Results.NoContent(); });

        g.MapGet("/requests", () => Results.Json(sandbox.Requests.Snapshot(), SandboxHost.Json));
        g.MapDelete("/requests", () => { sandbox.Requests.Reset(); return Results.NoContent(); });

        g.MapGet("/clock", () => Results.Json(new { now = sandbox.Clock.UtcNow, speed = sandbox.Clock.Speed }, SandboxHost.Json));
        g.MapPut("/clock", async (HttpRequest request) =>
        {
            ClockSettings? body;
            try { body = await request.ReadFromJsonAsync<ClockSettings>(SandboxHost.Json); }
            catch (System.Text.Json.JsonException) { body = null; }
            if (body is null || !Engine.Sandbox.SandboxSpeed.IsValid(body.Speed))
                return Problem(400, "InvalidClockSettings", $"speed must be greater than 0 and at most {Engine.Sandbox.SandboxSpeed.Max}.");
            sandbox.Clock.Speed = body.Speed;
            return Results.Json(new { now = sandbox.Clock.UtcNow, speed = sandbox.Clock.Speed }, SandboxHost.Json);
        });

        g.MapPost("/shutdown", (IHostApplicationLifetime lifetime) =>
        {
            lifetime.StopApplication();
            return Results.Accepted();
        });
    }

    private static IResult Problem(int status, string code, string message) =>
        Results.Json(new { code, message }, SandboxHost.Json, statusCode: status);

    private sealed record ClockSettings(double Speed);
}

/// <summary>Lets the info endpoint reach the host that owns it.</summary>
public sealed class SandboxInfoSource
{
    /// <summary>Null until the host is fully started (requests can arrive as soon as Kestrel listens).</summary>
    public Func<object>? Info { get; set; }
}
