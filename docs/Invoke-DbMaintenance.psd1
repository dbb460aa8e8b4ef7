@{
    Synopsis    = 'Runs VACUUM (ANALYZE) of tables and REINDEX INDEX CONCURRENTLY of indexes, in the Database maintenance window; -WhatIf lists the statements.'
    Description = @'
Invoke-DbMaintenance vacuums and analyzes tables and rebuilds indexes without blocking writes. What it works on:

- the tables named with -Table, every user table with -AllTables, or, when nothing is named, the tables with at least -DeadTupleThreshold dead tuples;
- the indexes named with -Index, and with -ReindexBloated the B-tree indexes whose estimated bloat (as Get-DbHealth estimates it) passes -BloatPercent and -BloatMinimumBytes;
- the findings of Get-DbHealth -Findings piped in: DeadTuples and TableBloat vacuum their table, IndexBloat rebuilds its index; other findings are passed over.

Names are schema.name or a bare name (found in any schema; one that names several is DbObjectAmbiguous). They are matched against the catalog and quoted as identifiers: no text given here reaches the SQL. A name that matches nothing is DbTableNotFound or DbIndexNotFound, and the others go on.

Every statement is a change of its own: one confirmation (-WhatIf shows each statement it would run and runs none), one journal entry, and a failure of one is a non-terminating error. Each runs on its own connection with -StatementTimeout (DbMaintenanceTimeout) and -LockTimeout (DbLockTimeout); Ctrl+C cancels the running statement on the server. A REINDEX CONCURRENTLY that is stopped may leave an invalid index named *_ccnew, which Get-DbHealth reports. It is a Database change: outside the Database maintenance window it is refused (OutsideMaintenanceWindow) when the context enforces windows, unless -IgnoreMaintenanceWindow -Reason. The output has the dead tuples (VACUUM) or index size in bytes (REINDEX) before and after. Only the owner of a table (or a superuser) may vacuum or reindex it.
'@
    Parameters  = @{
        Table = 'Tables to VACUUM (ANALYZE): schema.table or table.'
        Index = 'Indexes to REINDEX INDEX CONCURRENTLY: schema.index or index.'
        Finding = 'Findings of Get-DbHealth -Findings, from the pipeline.'
        AllTables = 'Vacuums every user table of the database.'
        DeadTupleThreshold = 'When no table, index or finding is given: the tables with at least this many dead tuples are vacuumed. The default is 1000.'
        ReindexBloated = 'Also rebuilds the B-tree indexes whose estimated bloat passes -BloatPercent and -BloatMinimumBytes.'
        BloatPercent = 'With -ReindexBloated: estimated bloat, in percent of the index''s size, from which an index is rebuilt. The default is 30.'
        BloatMinimumBytes = 'With -ReindexBloated: the least estimated bloat in bytes for an index to be rebuilt. The default is 8388608 (8 MiB).'
        StatementTimeout = 'statement_timeout of each statement: seconds, or 30s, 10m, 2h. The default is 1 hour.'
        LockTimeout = 'lock_timeout of each statement: how long it waits for a lock before it gives up. The default is 30 seconds.'
        HostName = 'The database host. Defaults to the context''s DbHost.'
        Port = 'The database port. Defaults to the context''s DbPort.'
        Database = 'The database. Defaults to the context''s DbName.'
        Credential = 'The user name and password. Without it, the context''s DbUser and password file (DbPassFile) are used; the password never goes on the command line.'
        Timeout = 'How long to wait for the server to accept each connection. The default is 5 seconds.'
        Force = 'Skips the confirmation prompt (not the maintenance window).'
        IgnoreMaintenanceWindow = 'Goes ahead outside the Database maintenance window when the context enforces windows (Set-OpsContext -EnforceMaintenanceWindow $true); without it such a run is refused before anything is run (OutsideMaintenanceWindow). Needs -Reason; the journal entries record it.'
        Reason = 'Why the maintenance cannot wait for the Database window (an incident or change id); required with -IgnoreMaintenanceWindow and journaled with each statement.'
    }
    Examples    = @(
        @{
            Title   = 'See what it would do'
            Code    = 'Invoke-DbMaintenance -AllTables -WhatIf'
            Remarks = 'Lists the VACUUM (ANALYZE) statement of every table and runs none.'
        }
        @{
            Title   = 'Vacuum one table'
            Code    = 'Invoke-DbMaintenance -Table public.listings'
            Remarks = 'VACUUM (ANALYZE) "public"."listings", journaled, with its dead tuples before and after.'
        }
        @{
            Title   = 'Act on the health check''s findings'
            Code    = 'Get-DbHealth -Findings | Where-Object Verdict -ne ''Ok'' | Invoke-DbMaintenance -Force'
            Remarks = 'Vacuums the tables with too many dead tuples or bloat and rebuilds the bloated indexes the health check found.'
        }
        @{
            Title   = 'Rebuild an index without blocking writes'
            Code    = 'Invoke-DbMaintenance -Index properties_pkey -LockTimeout 10s'
            Remarks = 'REINDEX INDEX CONCURRENTLY "public"."properties_pkey", giving up if it cannot get its lock within 10 seconds.'
        }
    )
    Links       = @('Get-DbHealth', 'Test-MaintenanceWindow', 'Get-OpsJournal')
}
