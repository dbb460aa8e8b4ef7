@{
    Synopsis    = 'Checks the database''s health: connections, cache hit ratio, wraparound, dead tuples and bloat, unused and duplicate indexes, replication lag, long transactions and vector search.'
    Description = @'
Get-DbHealth reads the server's statistics views in one read-only transaction and returns one report (DbHealthReport) whose Findings list has a verdict (Ok, Warning, Critical, or Skipped with the reason) per check and per object that needs attention:

- Connections in use against the slots max_connections leaves to ordinary roles.
- The buffer cache hit ratio of the database (pg_stat_database).
- Transaction ID wraparound: age(datfrozenxid) of every database against the 2^31 horizon and autovacuum_freeze_max_age.
- Dead tuples per table (pg_stat_user_tables) with the last (auto)vacuum, and an estimated bloat of tables and B-tree indexes. The estimate is a simple one, not pgstattuple's measurement: the size the relation would have packed, from reltuples and the average column widths ANALYZE keeps in pg_stats, against its real size (TOAST not counted; no estimate for a table never analyzed).
- Unused indexes (no scan since the statistics were reset, not unique or primary) and duplicate indexes (same table, columns, operator classes, expressions and predicate).
- Replication lag of the replicas that stream from the server ("no replicas" otherwise), or the replay delay when the server is itself a replica.
- Transactions open longer than -LongTransactionThreshold (Critical at four times as long).
- The platform's vector search table, property_embeddings: the embedding column's type (pgvector's vector(n), or the real[] the platform falls back to without pgvector), its ivfflat or hnsw index, whether every row has the same dimension, and, with pgvector and an index, the recall of the index against exact search on a few sample rows. Without pgvector the recall check is Skipped with the reason; it is never guessed.

It works as the application's login. What only a superuser or a member of pg_monitor sees (other roles' sessions, replicas' lag) is counted as far as it can be and listed under Restricted (also in -Verbose), never a failure. The connection is resolved as Test-DbConnection resolves it. With -Findings it emits the findings instead of the report, to filter and to pipe into Invoke-DbMaintenance.
'@
    Parameters  = @{
        HostName = 'The database host. Defaults to the context''s DbHost. Binds by property name (Address, Host, DbHost), so Get-DbInstance output pipes in.'
        Port = 'The database port. Defaults to the context''s DbPort.'
        Database = 'The database to check. Defaults to the context''s DbName.'
        Credential = 'The user name and password. Without it, the context''s DbUser and password file (DbPassFile) are used; the password never goes on the command line.'
        Findings = 'Emits the findings (DbHealthFinding) instead of the report.'
        ConnectionsWarningPercent = 'Connections in use, in percent of the slots for ordinary roles, that are a Warning. The default is 80.'
        ConnectionsCriticalPercent = 'Connections in use, in percent, that are Critical. The default is 95.'
        CacheHitWarningPercent = 'A cache hit ratio below this percent is a Warning. The default is 95.'
        CacheHitCriticalPercent = 'A cache hit ratio below this percent is Critical. The default is 90.'
        WraparoundWarningPercent = 'age(datfrozenxid) in percent of the 2^31 transaction ID horizon that is a Warning (an age past autovacuum_freeze_max_age is one too). The default is 50.'
        WraparoundCriticalPercent = 'age(datfrozenxid) in percent of the horizon that is Critical. The default is 75.'
        DeadTupleWarningPercent = 'Dead tuples in percent of live + dead that are a Warning, for tables with at least -DeadTupleMinimum dead tuples. The default is 10.'
        DeadTupleCriticalPercent = 'Dead tuples in percent that are Critical. The default is 30.'
        DeadTupleMinimum = 'Tables with fewer dead tuples than this get no DeadTuples finding. The default is 1000.'
        BloatWarningPercent = 'Estimated bloat in percent of a table''s or index''s size that is a Warning, from -BloatMinimumBytes of bloat. The default is 30.'
        BloatCriticalPercent = 'Estimated bloat in percent that is Critical. The default is 60.'
        BloatMinimumBytes = 'Relations with less estimated bloat than this many bytes get no bloat finding. The default is 8388608 (8 MiB).'
        ReplicationLagWarning = 'Replay lag that is a Warning: seconds, or 30s, 5m. The default is 30 seconds.'
        ReplicationLagCritical = 'Replay lag that is Critical. The default is 5 minutes.'
        LongTransactionThreshold = 'A transaction open longer than this is a Warning, four times as long Critical: seconds, or 90s, 5m, 1h. The default is 5 minutes.'
        RecallSamples = 'How many sample rows the vector recall spot check queries. The default is 5.'
        RecallK = 'The k of the recall spot check''s k-nearest-neighbour queries. The default is 10.'
        Timeout = 'How long to wait for the server to accept the connection: seconds, or 500ms, 10s, 1m. The default is 5 seconds.'
    }
    Examples    = @(
        @{
            Title   = 'Check the context''s database'
            Code    = 'Get-DbHealth'
            Remarks = 'One report: the overall verdict, the summary numbers, and the checks that need attention.'
        }
        @{
            Title   = 'List what needs attention'
            Code    = 'Get-DbHealth -Findings | Where-Object Verdict -in ''Warning'', ''Critical'''
            Remarks = 'The findings with a Warning or Critical verdict, with a message and a recommendation each.'
        }
        @{
            Title   = 'Look at the vector search table'
            Code    = '(Get-DbHealth).Vector'
            Remarks = 'The embedding column''s type, its index, the dimensions of the rows, and the recall spot check or why it was skipped.'
        }
        @{
            Title   = 'Stricter thresholds for a scheduled check'
            Code    = 'Get-DbHealth -LongTransactionThreshold 1m -DeadTupleWarningPercent 5 | Select-Object Verdict, Warnings, Criticals'
            Remarks = 'The overall verdict with tighter limits, for a job that alerts on it.'
        }
    )
    Links       = @('Invoke-DbMaintenance', 'Get-DbActivity', 'Test-DbConnection')
}
