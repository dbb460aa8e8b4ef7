namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Whether the credentials in the app's DB secret log in (never the password).</summary>
public sealed class DbSecretTestResult
{
    public string Namespace { get; init; } = "";
    public string Secret { get; init; } = "";
    /// <summary>The host and port the secret names (what the pods connect to).</summary>
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public string? Database { get; init; }
    public string? User { get; init; }
    /// <summary>Where the login was tried: the secret's host:port, or the override.</summary>
    public string ConnectedTo { get; init; } = "";
    public bool Succeeded { get; init; }
    /// <summary>Why not: DbAuthenticationFailed, DbTooManyConnections, DbHostUnreachable, DbConnectionRefused, DbHostNotFound, DbConnectionTimeout, DbDatabaseNotFound, DbSecretIncomplete, ...</summary>
    public string? ErrorId { get; init; }
    public string? Error { get; init; }
    public string? ServerVersion { get; init; }
    public TimeSpan? Latency { get; init; }
}
