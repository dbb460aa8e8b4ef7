@{
    Synopsis    = 'Lists Langfuse traces by name, user, tags, level, score range and time, streamed over cursor pages.'
    Description = @'
Get-LlmTrace is the runbook's "filter traces by score or error status". It reads Langfuse's observations API (GET /api/public/v2/observations, cursor paging) and writes one object per trace, newest first: the trace's name, user, session, tags, start time and latency, and the input and output of the observation it was read from. Without -Level that is the trace's root observation; with -Level (Error: the traces with a failed call) it is the first observation of the trace at that level, so the object carries the failed call's model, tokens, cost, input and Langfuse's status message.

-MinScore and -MaxScore select traces by a numeric score (-ScoreName, user-feedback by default) through the v3 scores API: -MaxScore 2 finds the conversations users rated 1 or 2. The object then carries the score.

Pages are requested one at a time, the next only once the pipeline has taken the last trace of the one before, so Get-LlmTrace | Select-Object -First 1 makes one request. -First also caps the page size.
'@
    Parameters  = @{
        Name = 'Trace names (chatbot-conversation, property-search, proposal-generation, ...); a trace with any of them.'
        UserId = 'Only this user''s traces.'
        Tag = 'Tags the trace must all carry (production, beta-ui, ...).'
        Level = 'Error, Warning, Default or Debug: traces with an observation at this level, read from that observation.'
        MinScore = 'Only traces with a -ScoreName score of at least this value.'
        MaxScore = 'Only traces with a -ScoreName score of at most this value (user-feedback is 1 to 5).'
        ScoreName = 'The numeric score -MinScore and -MaxScore apply to. Defaults to user-feedback; hallucination is the evaluator''s score (0 grounded, 1 invented).'
        From = 'Only traces that started at or after this time.'
        To = 'Only traces that started before this time.'
        First = 'At most this many traces (also the page size, up to 100).'
        LangfuseUrl = 'The Langfuse server. Defaults to the context''s ServiceUrls langfuse.'
    }
    Examples    = @(
        @{
            Title   = 'List the latest traces'
            Code    = 'Get-LlmTrace -First 10'
            Remarks = 'The ten newest traces with their user, latency and level.'
        }
        @{
            Title   = 'Find the conversations that failed today'
            Code    = 'Get-LlmTrace -Level Error -From (Get-Date).Date | Format-Table StartTime, Name, Model, StatusMessage'
            Remarks = 'Each failed call with the provider''s message (rate limits, timeouts, context length).'
        }
        @{
            Title   = 'Find the conversations users rated badly'
            Code    = 'Get-LlmTrace -MaxScore 2 -First 20'
            Remarks = 'Traces with a user-feedback score of 1 or 2.'
        }
        @{
            Title   = 'Find likely hallucinations in the chatbot'
            Code    = 'Get-LlmTrace -Name chatbot-conversation -ScoreName hallucination -MinScore 0.7 -First 10'
            Remarks = 'Chatbot answers the evaluator scored as invented.'
        }
    )
    Links       = @('Get-LlmMetric', 'Add-LlmDatasetItem', 'New-LlmDataset')
}
