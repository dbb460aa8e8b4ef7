@{
    Synopsis    = 'Creates a Langfuse dataset to collect problematic conversations in.'
    Description = @'
New-LlmDataset creates a dataset in Langfuse (POST /api/public/v2/datasets), the first half of the runbook's dataset step: "use dataset creation to collect examples for fine-tuning". A name that is taken is refused with LlmDatasetExists before anything is sent (Langfuse's own create would silently update that dataset).

-WhatIf shows the change and makes no change request; the change is journaled (Get-OpsJournal).
'@
    Parameters  = @{
        Name = 'The dataset''s name, e.g. problem-conversations.'
        Description = 'What the dataset collects.'
        Metadata = 'Metadata as a hashtable, e.g. @{ owner = ''ml-team'' }.'
        LangfuseUrl = 'The Langfuse server. Defaults to the context''s ServiceUrls langfuse.'
    }
    Examples    = @(
        @{
            Title   = 'Create a dataset for failed conversations'
            Code    = 'New-LlmDataset -Name problem-conversations -Description ''Conversations that failed or were rated badly'''
            Remarks = 'A new, empty dataset.'
        }
        @{
            Title   = 'Create a dataset and fill it from the failed traces'
            Code    = 'New-LlmDataset -Name failed-proposals -Metadata @{ owner = ''ml-team'' }; Get-LlmTrace -Name proposal-generation -Level Error | Add-LlmDatasetItem -Dataset failed-proposals'
            Remarks = 'The runbook''s dataset step in one line.'
        }
    )
    Links       = @('Add-LlmDatasetItem', 'Get-LlmDataset', 'Get-LlmTrace')
}
