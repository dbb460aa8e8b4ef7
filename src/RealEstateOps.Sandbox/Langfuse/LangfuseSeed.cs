using System.Text.Json.Nodes;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>
/// The platform's LLM traffic over the 7 days before the sandbox's start (on its clock): chatbot conversations, property
/// searches and proposal generations by 40 users on gpt-4o, gpt-4o-mini and claude-3-5-sonnet, each trace a root SPAN with a
/// GENERATION (token usage, cost at the models' list prices, latency) and for searches a vector-search SPAN. Deterministic
/// (one seed), with a steady share of problems: errors (level ERROR on the generation and its root, with the provider's
/// message), truncated answers (WARNING), slow answers, low user-feedback scores and hallucination scores from an evaluator.
/// </summary>
public static class LangfuseSeed
{
    public const int TracesPerDay = 60;
    public const int Days = 7;

    /// <summary>Dollars per million tokens (input, output), the providers' list prices.</summary>
    public static readonly IReadOnlyDictionary<string, (decimal Input, decimal Output)> Prices = new Dictionary<string, (decimal, decimal)>
    {
        ["gpt-4o"] = (2.50m, 10.00m),
        ["gpt-4o-mini"] = (0.15m, 0.60m),
        ["claude-3-5-sonnet"] = (3.00m, 15.00m),
    };

    private static readonly string[] Errors =
    {
        "Rate limit reached for gpt-4o in organization org-realestate on tokens per min (TPM): Limit 30000, Used 29874. (429)",
        "Request timed out after 30000 ms waiting for the model provider.",
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 131207 tokens. (context_length_exceeded)",
        "Overloaded: the provider returned 529 overloaded_error.",
        "Upstream connection reset by peer while streaming the completion.",
    };

    private static readonly string[] Questions =
    {
        "Which 3-bedroom homes near Lincoln Park are under $650k?",
        "Can you compare the HOA fees of the two condos I saved?",
        "What documents do I need for a mortgage pre-approval?",
        "Is the listing on 42 Maple Street still available?",
        "Summarise the inspection report for 18 Oak Avenue.",
        "How long does closing usually take in Illinois?",
        "Show me rentals that allow large dogs downtown.",
        "What's the price trend for lofts in the West Loop?",
    };

    private static readonly string[] Searches =
    {
        "2 bed condo with parking near downtown", "family house good schools under 700k", "waterfront property with dock",
        "pet friendly apartment with gym", "new construction townhouse 3 bath", "office space for lease 2000 sqft",
    };

    public sealed record Data(List<LangfuseObservation> Observations, List<LangfuseScore> Scores, List<LangfuseDataset> Datasets, List<LangfuseDatasetItem> Items);

    public static Data Generate(DateTimeOffset now)
    {
        var random = new Random(20_241_212);
        var observations = new List<LangfuseObservation>();
        var scores = new List<LangfuseScore>();
        var total = TracesPerDay * Days;
        var span = TimeSpan.FromDays(Days);
        for (var i = 0; i < total; i++)
        {
            // Evenly spread over the 7 days with a little jitter, the newest a few minutes before the start.
            var start = now - span + TimeSpan.FromTicks(span.Ticks / total * i) + TimeSpan.FromSeconds(random.Next(0, 600));
            if (start > now - TimeSpan.FromMinutes(2)) start = now - TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(i % 60);
            AddTrace(i, start, random, observations, scores);
        }
        var created = now - TimeSpan.FromDays(10);
        var golden = new LangfuseDataset
        {
            Id = Id("dataset", 0), Name = "golden-conversations", Description = "Reviewed chatbot answers used to check new prompt versions.",
            CreatedAt = created, UpdatedAt = created,
        };
        var items = Questions.Take(3).Select((q, n) => new LangfuseDatasetItem
        {
            Id = Id("item", n), DatasetId = golden.Id, DatasetName = golden.Name,
            Input = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = q }) },
            ExpectedOutput = new JsonObject { ["role"] = "assistant", ["content"] = "A reviewed answer to: " + q },
            CreatedAt = created, UpdatedAt = created,
        }).ToList();
        return new Data(observations, scores, new List<LangfuseDataset> { golden }, items);
    }

    private static void AddTrace(int i, DateTimeOffset start, Random random, List<LangfuseObservation> observations, List<LangfuseScore> scores)
    {
        var kind = (i % 10) switch { < 5 => "chatbot-conversation", < 8 => "property-search", _ => "proposal-generation" };
        var model = kind switch
        {
            "chatbot-conversation" => i % 3 == 0 ? "gpt-4o" : "gpt-4o-mini",
            "property-search" => "gpt-4o-mini",
            _ => i % 5 == 2 ? "gpt-4o" : "claude-3-5-sonnet",
        };
        var user = $"user-{(i * 7 % 40) + 1:000}";
        var traceId = Id("trace", i);
        var tags = new List<string> { kind switch { "chatbot-conversation" => "chatbot", "property-search" => "search", _ => "proposal" }, "production" };
        if (i % 6 == 1) tags.Add("beta-ui");
        var release = i < TracesPerDay * 3 ? "2.3.0" : "2.4.0";
        var error = i % 23 == 5 ? Errors[i / 23 % Errors.Length] : null;
        var truncated = error is null && i % 41 == 3;
        var slow = error is null && i % 31 == 7;

        var (input, question) = kind switch
        {
            "property-search" => Search(i),
            "proposal-generation" => Proposal(i),
            _ => Chat(i),
        };
        var inputTokens = kind switch { "proposal-generation" => 2400 + random.Next(0, 1800), "property-search" => 300 + random.Next(0, 400), _ => 700 + random.Next(0, 1500) };
        var outputTokens = error is not null ? 0 : truncated ? 4096 : kind switch { "proposal-generation" => 600 + random.Next(0, 700), "property-search" => 80 + random.Next(0, 120), _ => 150 + random.Next(0, 450) };
        var perToken = model switch { "gpt-4o-mini" => 5.0, "gpt-4o" => 10.0, _ => 12.0 };
        var latencyMs = error is not null && error.Contains("timed out", StringComparison.Ordinal) ? 30_000
            : 350 + outputTokens * perToken * (0.8 + random.NextDouble() * 0.4) + random.Next(0, 200);
        if (slow) latencyMs += 9_000 + random.Next(0, 8_000);
        var (pin, pout) = Prices[model];

        var rootId = Id("obs", i * 3);
        var generationId = Id("obs", i * 3 + 1);
        var offset = kind == "property-search" ? 120 + random.Next(0, 80) : 15;
        var genStart = start.AddMilliseconds(offset);
        var genEnd = genStart.AddMilliseconds(latencyMs);
        var rootEnd = genEnd.AddMilliseconds(20 + random.Next(0, 30));
        var answer = error is not null ? null : kind switch
        {
            "property-search" => new JsonObject { ["listings"] = new JsonArray(JsonValue.Create($"L-{1000 + i % 97}"), JsonValue.Create($"L-{1100 + i % 89}")), ["summary"] = "2 listings match: " + question },
            "proposal-generation" => new JsonObject { ["role"] = "assistant", ["content"] = $"Proposal draft for {question}: pricing, timeline and next steps." },
            _ => new JsonObject { ["role"] = "assistant", ["content"] = (truncated ? "(truncated) " : "") + "Here is what I found about: " + question },
        };
        var level = error is not null ? "ERROR" : truncated ? "WARNING" : "DEFAULT";
        var status = error ?? (truncated ? "Response truncated: max_tokens (4096) reached." : null);
        var session = $"session-{user}-{start:yyyyMMdd}";
        var version = kind == "chatbot-conversation" ? (i < TracesPerDay * 4 ? "chat-v7" : "chat-v8") : null;

        LangfuseObservation Common(string id, string? parent, string type, string name, DateTimeOffset s, DateTimeOffset e) => new()
        {
            Id = id, TraceId = traceId, ParentObservationId = parent, Type = type, Name = name, StartTime = s, EndTime = e,
            UserId = user, SessionId = session, TraceName = kind, Tags = tags, Release = release, Version = version,
        };

        observations.Add(Common(rootId, null, "SPAN", kind, start, rootEnd) with
        {
            Level = error is not null ? "ERROR" : "DEFAULT", StatusMessage = error, Input = input, Output = answer,
        });
        if (kind == "property-search")
            observations.Add(Common(Id("obs", i * 3 + 2), rootId, "SPAN", "vector-search", start.AddMilliseconds(5), start.AddMilliseconds(offset - 5)) with
            {
                Input = new JsonObject { ["query"] = question, ["topK"] = 20 }, Output = new JsonObject { ["matches"] = 20 },
            });
        observations.Add(Common(generationId, rootId, "GENERATION", kind switch { "property-search" => "query-understanding", "proposal-generation" => "proposal-draft", _ => "chat-completion" }, genStart, genEnd) with
        {
            Level = level, StatusMessage = status, Input = input, Output = answer, ProvidedModelName = model,
            CompletionStartTime = error is not null ? null : genStart.AddMilliseconds(Math.Min(latencyMs, 250 + random.Next(0, 400))),
            InputTokens = inputTokens, OutputTokens = outputTokens,
            InputCost = Math.Round(inputTokens * pin / 1_000_000m, 8), OutputCost = Math.Round(outputTokens * pout / 1_000_000m, 8),
            PromptName = kind, PromptVersion = version == "chat-v8" ? 8 : 7,
        });

        // User feedback (1-5) on about 40% of the traces: low after errors, truncations and slow answers.
        if (i % 5 is 0 or 3 || error is not null || slow)
        {
            var value = error is not null ? 1 : slow || truncated ? 2 : 3 + random.Next(0, 3);
            scores.Add(new LangfuseScore
            {
                Id = Id("score", i * 2), TraceId = traceId, Name = "user-feedback", Value = value, Source = "API", Timestamp = rootEnd.AddSeconds(30),
                Comment = value <= 2 ? (error is not null ? "It just failed." : slow ? "Way too slow." : "Answer was cut off.") : null,
                TraceName = kind, Tags = tags, UserId = user,
            });
        }
        // An evaluator's hallucination score (0 = grounded, 1 = invented) on chatbot answers.
        if (kind == "chatbot-conversation" && error is null && i % 4 != 1)
        {
            var value = i % 37 == 11 ? 0.82 + random.NextDouble() * 0.15 : Math.Round(random.NextDouble() * 0.2, 3);
            scores.Add(new LangfuseScore
            {
                Id = Id("score", i * 2 + 1), TraceId = traceId, ObservationId = generationId, Name = "hallucination", Value = Math.Round(value, 3), Source = "EVAL",
                Timestamp = rootEnd.AddMinutes(2), TraceName = kind, Tags = tags, UserId = user,
            });
        }
    }

    private static (JsonNode Input, string Question) Chat(int i)
    {
        var q = Questions[i % Questions.Length];
        return (new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = q }) }, q);
    }

    private static (JsonNode Input, string Question) Search(int i)
    {
        var q = Searches[i % Searches.Length];
        return (new JsonObject { ["query"] = q, ["filters"] = new JsonObject { ["city"] = "Chicago" } }, q);
    }

    private static (JsonNode Input, string Question) Proposal(int i)
    {
        var q = $"listing L-{1000 + i % 97} for client C-{200 + i % 31}";
        return (new JsonObject { ["listingId"] = $"L-{1000 + i % 97}", ["clientId"] = $"C-{200 + i % 31}", ["template"] = "standard-proposal" }, q);
    }

    /// <summary>Stable ids (32 hex characters, like OpenTelemetry's trace ids), so examples and tests can name them.</summary>
    public static string Id(string kind, int n)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{kind}:{n}"));
        return Convert.ToHexString(bytes, 0, kind == "trace" ? 16 : 8).ToLowerInvariant();
    }
}
