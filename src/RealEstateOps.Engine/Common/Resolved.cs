namespace RealEstateOps.Engine.Common;

/// <summary>A setting's value together with where it came from, for verbose output.</summary>
public readonly record struct Resolved<T>(T Value, string Source)
{
    public override string ToString() => $"{Value} (from {Source})";
}
