namespace RealEstateOps.Engine.Incident;

/// <summary>Which incidents to list: one by id, those with the given statuses, all of them, or (by default) the open ones.</summary>
public sealed record IncidentQuery
{
    /// <summary>Ids to list (any status); null: per <see cref="All"/> and <see cref="Status"/>.</summary>
    public IReadOnlyList<string>? Id { get; init; }
    public bool All { get; init; }
    public IReadOnlyList<IncidentStatus>? Status { get; init; }
    /// <summary>Rows per page read from the store (the next page is read only when the consumer asks for it).</summary>
    public int PageSize { get; init; } = 100;
}
