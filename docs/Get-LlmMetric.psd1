@{
    Synopsis    = 'LLM metrics from Langfuse: generations, errors and error rate, token usage, cost, latency percentiles and feedback, by model, trace name or day.'
    Description = @'
Get-LlmMetric answers the Monitoring runbook's LLM metrics (token usage, response times, completion rates, user feedback scores) from Langfuse's metrics API (GET /api/public/v2/metrics with a query object over the observations view). It counts the generations (observations of type GENERATION) that started between -From and -To (the last 24 hours by default), with their input, output and total tokens, their cost in US dollars, the 50th, 95th and 99th percentiles of their latency, the generations at level ERROR with the error rate and the completion rate (the share that did not fail), and, unless grouped or filtered by model, the average user-feedback score of the traces (the scores-numeric view).

-GroupBy Model, TraceName and Day (UTC) give one object per group; several combine (Day and Model: one object per model and day). -TraceName and -Model narrow the generations counted. It makes two or three metrics requests in all, whatever the range.

The Langfuse URL is -LangfuseUrl, else the context's ServiceUrls langfuse; the public key is the context's LangfusePublicKey, else LANGFUSE_PUBLIC_KEY; the secret key is read from the context's LangfuseSecretKeyFile, else LANGFUSE_SECRET_KEY, and never appears in verbose output, errors or the journal. Start-OpsSandbox sets all three in the sandbox context.
'@
    Parameters  = @{
        From = 'Start of the range (generations that started at or after it). Defaults to 24 hours before -To.'
        To = 'End of the range (generations that started before it). Defaults to now.'
        GroupBy = 'Model (the provider''s model name), TraceName (the trace''s name, e.g. chatbot-conversation), Day (UTC). Several combine.'
        TraceName = 'Only generations of traces with these names (chatbot-conversation, property-search, proposal-generation, ...).'
        Model = 'Only generations of these models (gpt-4o, gpt-4o-mini, claude-3-5-sonnet, ...).'
        LangfuseUrl = 'The Langfuse server. Defaults to the context''s ServiceUrls langfuse (Start-OpsSandbox points it at the sandbox).'
    }
    Examples    = @(
        @{
            Title   = 'Token usage, cost, latency and errors by model over the last day'
            Code    = 'Get-LlmMetric -GroupBy Model'
            Remarks = 'One row per model: generations, error rate, tokens, cost and latency p50/p95.'
        }
        @{
            Title   = 'A week of LLM metrics, day by day'
            Code    = 'Get-LlmMetric -From (Get-Date).AddDays(-7) -GroupBy Day | Format-Table Day, Generations, ErrorRatePercent, TotalTokens, Cost, LatencyP95Ms, FeedbackScore'
            Remarks = 'The week''s trend, with the average user-feedback score of each day.'
        }
        @{
            Title   = 'Find the trace types whose error rate is above 5 percent'
            Code    = 'Get-LlmMetric -From (Get-Date).AddDays(-7) -GroupBy TraceName | Where-Object ErrorRatePercent -gt 5'
            Remarks = 'The kinds of conversation that fail most often.'
        }
        @{
            Title   = 'What one model cost on the chatbot'
            Code    = 'Get-LlmMetric -TraceName chatbot-conversation -Model gpt-4o -From (Get-Date).AddDays(-7) | Select-Object Generations, TotalTokens, Cost'
            Remarks = 'Cost of gpt-4o in chatbot conversations over the week.'
        }
    )
    Links       = @('Get-LlmTrace', 'New-LlmDataset', 'Add-LlmDatasetItem')
}
