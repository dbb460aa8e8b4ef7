namespace RealEstateOps.Engine.Incident;

/// <summary>
/// The incident store's schema, as numbered migrations embedded here and applied in order (see
/// <see cref="IncidentStore.MigrateAsync"/>): a migration, once released, is never edited; a change is a new one.
/// </summary>
public static class IncidentMigrations
{
    /// <summary>The schema version this module knows; a store at a newer one is refused (IncidentStoreVersionTooNew).</summary>
    public static int Latest => All.Count;

    public static IReadOnlyList<(int Version, string Description, string Sql)> All { get; } = new[]
    {
        (1, "incidents and their notes", """
            create table ops.incidents (
                id text primary key,
                day date not null,
                seq int not null,
                severity smallint not null check (severity between 1 and 4),
                title text not null,
                component text not null,
                commander text,
                status text not null check (status in ('Investigating', 'Identified', 'Mitigated', 'Resolved', 'Closed')),
                impact text,
                summary text,
                opened_at timestamptz not null,
                opened_by text not null,
                acknowledged_at timestamptz,
                last_update_at timestamptz,
                resolved_at timestamptz,
                closed_at timestamptz,
                revision int not null default 1,
                unique (day, seq));
            create index incidents_status on ops.incidents (status);
            create table ops.incident_notes (
                id bigserial primary key,
                incident_id text not null references ops.incidents (id),
                kind text not null check (kind in ('Finding', 'Action', 'StakeholderUpdate', 'StatusChange')),
                text text not null,
                author text not null,
                host text,
                at timestamptz not null);
            create index incident_notes_incident on ops.incident_notes (incident_id, id);
            """),
    };
}
