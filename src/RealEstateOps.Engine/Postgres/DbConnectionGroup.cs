namespace RealEstateOps.Engine.Postgres;

/// <summary>How many client connections share one state, application or user.</summary>
public sealed class DbConnectionGroup
{
    public string Name { get; init; } = "";
    public int Count { get; init; }

    public override string ToString() => $"{Name}: {Count}";
}
