namespace RealEstateOps.Engine.Kubernetes;

/// <summary>Where a rollback would go: the revision, and whether the template already matches it.</summary>
public sealed record UndoPlan(int Revision, bool Matches);
