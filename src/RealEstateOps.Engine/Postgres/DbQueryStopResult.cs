namespace RealEstateOps.Engine.Postgres;

/// <summary>What Stop-DbQuery did to one backend: cancelled its query (pg_cancel_backend) or terminated it (pg_terminate_backend).</summary>
public sealed class DbQueryStopResult
{
    public int ProcessId { get; init; }
    /// <summary>Cancel or Terminate.</summary>
    public string Action { get; init; } = "";
    /// <summary>The server accepted the signal (false: the backend was gone by then).</summary>
    public bool Signalled { get; init; }
    public string? User { get; init; }
    public string? Application { get; init; }
    public string? State { get; init; }
    public string? Query { get; init; }

    public override string ToString() => $"{Action} {ProcessId}: {(Signalled ? "signalled" : "not signalled")}";
}
