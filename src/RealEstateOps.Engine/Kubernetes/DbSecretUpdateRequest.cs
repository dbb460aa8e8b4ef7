namespace RealEstateOps.Engine.Kubernetes;

/// <summary>
/// New credentials for the app's DB secret: verified by logging in first, then written (host, port and database kept from the
/// secret unless given), then the deployments that use the secret restarted (<see cref="Deployments"/>, by default every
/// deployment in the namespace whose pods read the secret).
/// </summary>
public sealed class DbSecretUpdateRequest
{
    public required string Namespace { get; init; }
    public string Name { get; init; } = "db-credentials";
    public required string User { get; init; }
    public required string Password { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string? Database { get; init; }
    public string? HostOverride { get; init; }
    public int? PortOverride { get; init; }
    public IReadOnlyList<string>? Deployments { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public string? SslRootCert { get; init; }
}
