namespace RealEstateOps.Engine.Backup;

/// <summary>A sequence's position at the export (setval on import), as pg_dump's SEQUENCE SET records it.</summary>
public sealed class ExportManifestSequence
{
    public string Name { get; init; } = "";
    public long LastValue { get; init; }
    public bool IsCalled { get; init; }
}
