@{
    Synopsis    = 'Writes an incident''s post-mortem in Markdown: summary, impact, a timeline from its notes, the journal and the alerts, and the sections to fill.'
    Description = @'
Export-PostMortem prepares the runbook's post-incident review (due 48 hours after resolution). The Markdown file holds the incident's facts, summary and impact, and one timeline merged from its notes, every journal entry stamped with its id or made while it was open (who, from which host, which command on what, how it ended, the correlation id), and the alerts that fired in its window (Prometheus' ALERTS, from the context's Prometheus; the document says so when none is configured or it cannot be read). Sections for the root cause, contributing factors, preventive measures and runbook updates follow, to fill in the review.

The file is written owner-only (0600); an existing file is replaced only with -Overwrite (PostMortemFileExists otherwise).
'@
    Parameters  = @{
        Id = 'The incident; defaults to the current one. Taken from the pipeline by property name.'
        Path = 'The file to write; postmortem-<id>.md in the current folder when left out.'
        Overwrite = 'Replaces the file when it exists.'
    }
    Examples    = @(
        @{
            Title   = 'Write the current incident''s post-mortem'
            Code    = 'Export-PostMortem -Path ./postmortem.md'
            Remarks = 'The document and what its timeline holds (notes, journal entries, alerts).'
        }
        @{
            Title   = 'Write the post-mortems of the resolved incidents'
            Code    = 'Get-Incident -Status Resolved, Closed | Export-PostMortem -Overwrite'
            Remarks = 'One postmortem-<id>.md per incident in the current folder.'
        }
    )
    Links       = @('Close-Incident', 'Get-OpsJournal', 'Get-PromAlert')
}
