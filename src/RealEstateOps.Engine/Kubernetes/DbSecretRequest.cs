namespace RealEstateOps.Engine.Kubernetes;

public sealed class DbSecretRequest
{
    public required string Namespace { get; init; }
    public string Name { get; init; } = "db-credentials";
    public required string Host { get; init; }
    public int Port { get; init; } = 5432;
    public string? Database { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
}
