using System.Net;

namespace RealEstateOps.Engine.Common;

/// <summary>Whether a host name is this machine by its name alone (no DNS lookup): localhost, 127.0.0.0/8, ::1.</summary>
public static class Loopback
{
    public static bool IsLoopbackHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host)) return false;
        var h = host.Trim();
        if (h.StartsWith('[') && h.EndsWith(']')) h = h[1..^1];
        if (h.Equals("localhost", StringComparison.OrdinalIgnoreCase) || h.Equals("localhost.", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip);
    }
}
