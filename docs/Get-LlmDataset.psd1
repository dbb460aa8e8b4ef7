@{
    Synopsis    = 'Lists Langfuse datasets, or gets one by name.'
    Description = @'
Get-LlmDataset lists the project's datasets (GET /api/public/v2/datasets, page by page, streamed: Select-Object -First 1 makes one request), those whose names match a wildcard, or one dataset by its exact name (LlmDatasetNotFound when there is none).
'@
    Parameters  = @{
        Name = 'Dataset names; wildcards are allowed. An exact name is fetched directly.'
        LangfuseUrl = 'The Langfuse server. Defaults to the context''s ServiceUrls langfuse.'
    }
    Examples    = @(
        @{
            Title   = 'List the datasets'
            Code    = 'Get-LlmDataset'
            Remarks = 'Every dataset with its description.'
        }
        @{
            Title   = 'Get one dataset'
            Code    = 'Get-LlmDataset golden-conversations | Format-List'
            Remarks = 'One dataset, all its properties.'
        }
        @{
            Title   = 'Find datasets by name'
            Code    = 'Get-LlmDataset *conversations*'
            Remarks = 'The datasets whose names contain conversations.'
        }
    )
    Links       = @('New-LlmDataset', 'Add-LlmDatasetItem')
}
