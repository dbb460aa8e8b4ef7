namespace RealEstateOps.Engine.Postgres;

/// <summary>pg_isready's four answers.</summary>
public enum DbConnectionStatus
{
    /// <summary>The server is accepting connections (pg_isready exit 0).</summary>
    Accepting,
    /// <summary>The server answered but rejects connections, e.g. while starting up (exit 1).</summary>
    Rejecting,
    /// <summary>No answer: refused, unreachable, unknown host or timed out (exit 2).</summary>
    NoResponse,
    /// <summary>No attempt was made: the parameters were invalid (exit 3).</summary>
    NoAttempt,
}
