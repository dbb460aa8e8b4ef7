using System.Text;

namespace RealEstateOps.Sandbox.Security;

/// <summary>
/// The sandbox answers only requests addressed to itself by a loopback name: 127.0.0.1, localhost or
/// [::1], with no port or the port it listens on. A web page that rebinds its own DNS name to 127.0.0.1
/// still sends its own name in Host, so its requests are refused before any service sees them.
/// </summary>
public static class HostFilter
{
    private static readonly string[] LoopbackNames = { "127.0.0.1", "localhost", "[::1]" };

    /// <summary>Whether a Host header value names this sandbox (on <paramref name="port"/>).</summary>
    public static bool IsAllowed(string? host, int port)
    {
        if (string.IsNullOrEmpty(host)) return false;
        string name = host;
        string? portText = null;
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && colon > host.LastIndexOf(']'))
        {
            name = host[..colon];
            portText = host[(colon + 1)..];
        }
        if (!LoopbackNames.Contains(name, StringComparer.OrdinalIgnoreCase)) return false;
        if (portText is null) return true;
        return portText.Length is > 0 and <= 5 && portText.All(char.IsAsciiDigit) && int.Parse(portText, System.Globalization.CultureInfo.InvariantCulture) == port;
    }

    /// <summary>421 Misdirected Request with a plain-text reason.</summary>
    public static Task RefuseAsync(HttpContext http, int port)
    {
        http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        http.Response.ContentType = "text/plain; charset=utf-8";
        var shown = new string(http.Request.Host.Value?.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        var body = $"Misdirected request: this sandbox answers only requests for 127.0.0.1:{port}, localhost:{port} or [::1]:{port}, " +
                   $"not for Host '{shown}' (a defence against DNS rebinding).\n";
        return http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body)).AsTask();
    }
}
