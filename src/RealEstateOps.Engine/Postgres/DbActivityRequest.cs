namespace RealEstateOps.Engine.Postgres;

/// <summary>What Get-DbActivity reads: the database (as Test-DbConnection resolves it), and a superuser login to fall back on when the normal one is refused for lack of slots.</summary>
public sealed class DbActivityRequest
{
    public required DbConnectionRequest Connection { get; init; }
    /// <summary>Tried when <see cref="Connection"/> is refused with DbTooManyConnections (superusers have reserved slots).</summary>
    public DbConnectionRequest? Superuser { get; init; }
    /// <summary>How many longest-running queries the report lists.</summary>
    public int Top { get; init; } = 10;
}
