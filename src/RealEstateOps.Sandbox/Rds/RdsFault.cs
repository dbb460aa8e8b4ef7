namespace RealEstateOps.Sandbox.Rds;

/// <summary>An RDS error as the service sends it: code, HTTP status, message.</summary>
internal sealed class RdsFault : Exception
{
    public RdsFault(int status, string code, string message) : base(message) { Status = status; Code = code; }
    public int Status { get; }
    public string Code { get; }
}
