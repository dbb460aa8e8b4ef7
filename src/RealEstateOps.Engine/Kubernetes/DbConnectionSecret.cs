namespace RealEstateOps.Engine.Kubernetes;

/// <summary>The db-credentials secret as written (never the password).</summary>
public sealed class DbConnectionSecret
{
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public string? Database { get; init; }
    public string? User { get; init; }
    public string[] Keys { get; init; } = Array.Empty<string>();
    public DbSecretAction Action { get; init; }
    public string? ResourceVersion { get; init; }
}
