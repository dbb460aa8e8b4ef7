@{
    Synopsis    = 'Adds items to a Langfuse dataset, from problematic traces or by hand.'
    Description = @'
Add-LlmDatasetItem is the second half of the runbook's dataset step: it adds items to a dataset (POST /api/public/dataset-items). Piped from Get-LlmTrace, each trace becomes an item with the trace's input, the trace and observation as its source, and what the model answered and why it failed (level, status message) in its metadata; -ExpectedOutput gives the answer it should have given. An item from a trace gets an id made from the dataset and the trace, so adding the same trace again updates its item instead of adding a second one.

Without a trace, -Input (and -ExpectedOutput) make an item by hand: JSON text, a hashtable or an object.

Each item is one change: -WhatIf shows it and makes no request; each is journaled (the secret key never is). A failure of one item is a non-terminating error and the others go on.
'@
    Parameters  = @{
        Dataset = 'The dataset to add to (it must exist: New-LlmDataset).'
        TraceId = 'The trace the item comes from (bound from Get-LlmTrace''s objects).'
        ObservationId = 'The observation the item comes from (bound from Get-LlmTrace''s objects).'
        Input = 'The item''s input: JSON text, a hashtable or an object (a trace''s Input when piped).'
        ExpectedOutput = 'The answer the model should give: JSON text, a hashtable or an object.'
        ObservedOutput = 'What the model answered (a trace''s Output when piped), kept in the metadata as observedOutput.'
        Level = 'The trace''s level (bound from Get-LlmTrace), kept in the metadata.'
        StatusMessage = 'Why the call failed (bound from Get-LlmTrace), kept in the metadata.'
        Metadata = 'More metadata as a hashtable.'
        LangfuseUrl = 'The Langfuse server. Defaults to the context''s ServiceUrls langfuse.'
    }
    Examples    = @(
        @{
            Title   = 'Collect the failed conversations in a dataset'
            Code    = 'Get-LlmTrace -Level Error -From (Get-Date).AddDays(-1) | Add-LlmDatasetItem -Dataset golden-conversations'
            Remarks = 'One item per failed trace of the last day.'
        }
        @{
            Title   = 'Collect the conversations users rated badly'
            Code    = 'Get-LlmTrace -Name chatbot-conversation -MaxScore 2 -First 20 | Add-LlmDatasetItem -Dataset golden-conversations -Metadata @{ reason = ''low user feedback'' }'
            Remarks = 'Low-rated chatbot conversations, with the reason in their metadata.'
        }
        @{
            Title   = 'Add an example by hand'
            Code    = 'Add-LlmDatasetItem -Dataset golden-conversations -Input @{ messages = @(@{ role = ''user''; content = ''Is 42 Maple Street still available?'' }) } -ExpectedOutput ''{"role":"assistant","content":"Yes, it is listed as active."}'''
            Remarks = 'An input as a hashtable and the expected answer as JSON text.'
        }
    )
    Links       = @('Get-LlmTrace', 'New-LlmDataset', 'Get-LlmDataset')
}
