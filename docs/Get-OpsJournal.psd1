@{
    Synopsis    = 'Reads the journal of state changes made with the module.'
    Description = @'
Every state-changing command appends an entry to the journal: who, when, on which host, in which context, which command with which parameters (secrets removed), the target, the outcome (Succeeded, Failed, WhatIf or Declined), the error id of a failure, the duration, and a correlation id shared by the entries of one pipeline (or of one script run, when REALESTATEOPS_CORRELATION_ID is set). The journal is a JSON-lines file in the user's data folder (XDG_DATA_HOME/realestateops/journal.jsonl), or the file named by REALESTATEOPS_JOURNAL. It is created 0600 in a 0700 folder; each entry is one line written in one write under a writer lock, and a line that an earlier writer left half-written (a full disk) is closed before the next entry, so it costs only itself: readers skip it.

Get-OpsJournal streams the entries in the order they were written, filtered as asked; use it to write incident timelines. The table shows time, outcome, duration, command and target (with the error id of a failure), fitting 80 columns; Format-List shows every field, including the user, host, context, parameters, message and correlation id.
'@
    Parameters  = @{
        Command       = 'Only entries of these commands. Wildcards are allowed, with PowerShell''s rules (*, ?, [abc], [a-z], backtick escapes); a bad pattern such as [z-a] or an unclosed [ is an error (WildcardPatternInvalid).'
        Target        = 'Only entries for these targets. Wildcards are allowed, with the same rules.'
        After         = 'Only entries written after this time.'
        Before        = 'Only entries written before this time.'
        Within        = 'Only entries from this long ago until now: seconds, or a value such as 90s, 30m, 2h or 1d.'
        Outcome       = 'Only entries with these outcomes: Succeeded, Failed, WhatIf, Declined.'
        CorrelationId = 'Only entries of one pipeline or script run.'
        Newest        = 'Only the newest N matching entries.'
        Path          = 'Reads another journal file, such as one copied from a server.'
    }
    Examples    = @(
        @{
            Title   = 'What changed lately'
            Code    = 'Get-OpsJournal -Within 4h'
            Remarks = 'Shows what changed in the last four hours.'
        }
        @{
            Title   = 'Failed restores, in full'
            Code    = 'Get-OpsJournal -Outcome Failed -Command Restore-* | Format-List'
            Remarks = 'Shows failed restores with their error ids and parameters.'
        }
    )
    Links       = @('Get-OpsContext')
}
