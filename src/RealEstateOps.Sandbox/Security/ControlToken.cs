using System.Security.Cryptography;
using System.Text;

namespace RealEstateOps.Sandbox.Security;

/// <summary>
/// The control endpoints (/_sandbox/..., all but /_sandbox/health) need the sandbox's control token,
/// random for each start: "Authorization: Bearer TOKEN" or "X-Sandbox-Token: TOKEN". Compared in
/// constant time.
/// </summary>
public static class ControlToken
{
    public const string HeaderName = "X-Sandbox-Token";

    /// <summary>Paths under the control prefix that answer without the token (only the liveness probe).</summary>
    public static bool IsOpen(PathString path) => path.Equals("/_sandbox/health", StringComparison.Ordinal);

    /// <summary>The token a request presents (X-Sandbox-Token, else a Bearer authorization), or null.</summary>
    public static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count == 1 && !string.IsNullOrEmpty(header[0])) return header[0]!.Trim();
        var auth = request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? auth[7..].Trim() : null;
    }

    /// <summary>Whether <paramref name="presented"/> equals <paramref name="expected"/>, in time independent of where they differ.</summary>
    public static bool Matches(string? presented, string expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>401 with a JSON body (the control endpoints' error shape) and a Bearer challenge.</summary>
    public static Task RefuseAsync(HttpContext http, bool presented)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"sandbox-control\"";
        return http.Response.WriteAsJsonAsync(new
        {
            code = presented ? "SandboxControlTokenInvalid" : "SandboxControlTokenMissing",
            message = presented
                ? "The control token is wrong: it changes at every start of the sandbox; read it again from the file Get-OpsSandbox names (ControlTokenFile)."
                : $"The sandbox's control endpoints need its control token: send 'Authorization: Bearer TOKEN' or '{HeaderName}: TOKEN' (Get-OpsSandbox names the file that holds it: ControlTokenFile).",
        }, SandboxHost.Json);
    }
}
