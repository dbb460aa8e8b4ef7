using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Langfuse;

/// <summary>
/// The sandbox's Langfuse project: observations and scores (seeded over the 7 days before the start, on the sandbox clock),
/// datasets and their items (seeded, then made through the API). Thread-safe. Lists come newest first with opaque
/// cursors, as the v2 observations and v3 scores APIs page.
/// </summary>
public sealed class LangfuseStore
{
    public const string ProjectId = "sandbox-real-estate-ai";

    private readonly object _gate = new();
    private readonly SandboxClock _clock;
    private readonly List<LangfuseObservation> _observations;
    private readonly List<LangfuseScore> _scores;
    private readonly List<LangfuseDataset> _datasets;
    private readonly List<LangfuseDatasetItem> _items;

    public LangfuseStore(SandboxClock clock)
    {
        _clock = clock;
        var seed = LangfuseSeed.Generate(clock.UtcNow);
        _observations = seed.Observations.OrderByDescending(o => o.StartTime).ThenByDescending(o => o.Id, StringComparer.Ordinal).ToList();
        _scores = seed.Scores.OrderByDescending(s => s.Timestamp).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
        _datasets = seed.Datasets;
        _items = seed.Items;
    }

    public DateTimeOffset Now => _clock.UtcNow;

    /// <summary>All observations (newest first), for the metrics engine.</summary>
    public IReadOnlyList<LangfuseObservation> Observations { get { lock (_gate) return _observations.ToList(); } }
    public IReadOnlyList<LangfuseScore> Scores { get { lock (_gate) return _scores.ToList(); } }

    /// <summary>One page of the observations that pass <paramref name="filters"/>, after the cursor's position.</summary>
    public (List<LangfuseObservation> Page, string? Cursor) ListObservations(IReadOnlyList<LangfuseFilter> filters, int limit, string? cursor)
    {
        var after = Position.Parse(cursor);
        List<LangfuseObservation> matching;
        lock (_gate)
            matching = _observations.Where(o => after is null || after.IsBefore(o.StartTime, o.Id))
                .Where(o => LangfuseColumnSets.Observations.Matches(o, filters)).Take(limit + 1).ToList();
        return Page(matching, limit, o => new Position(o.StartTime, o.Id));
    }

    public (List<LangfuseScore> Page, string? Cursor) ListScores(IReadOnlyList<LangfuseFilter> filters, int limit, string? cursor)
    {
        var after = Position.Parse(cursor);
        List<LangfuseScore> matching;
        lock (_gate)
            matching = _scores.Where(s => after is null || after.IsBefore(s.Timestamp, s.Id))
                .Where(s => LangfuseColumnSets.Scores.Matches(s, filters)).Take(limit + 1).ToList();
        return Page(matching, limit, s => new Position(s.Timestamp, s.Id));
    }

    private static (List<T>, string?) Page<T>(List<T> matching, int limit, Func<T, Position> position)
    {
        if (matching.Count <= limit) return (matching, null);
        var page = matching.Take(limit).ToList();
        return (page, position(page[^1]).Encode());
    }

    // ---------------------------------------------------------------- datasets

    public (List<LangfuseDataset> Page, int Total) ListDatasets(int page, int limit)
    {
        lock (_gate)
            return (_datasets.OrderBy(d => d.CreatedAt).ThenBy(d => d.Name, StringComparer.Ordinal).Skip((page - 1) * limit).Take(limit).ToList(), _datasets.Count);
    }

    public LangfuseDataset RequireDataset(string name)
    {
        lock (_gate)
            return _datasets.FirstOrDefault(d => d.Name == name) ?? throw LangfuseFault.NotFound($"Dataset not found: {name}");
    }

    /// <summary>Creates a dataset, or (as Langfuse does for an existing name) updates its description and metadata.</summary>
    public LangfuseDataset UpsertDataset(string name, string? description, JsonNode? metadata)
    {
        var now = Now;
        lock (_gate)
        {
            var index = _datasets.FindIndex(d => d.Name == name);
            if (index >= 0)
            {
                var updated = _datasets[index] with
                {
                    Description = description ?? _datasets[index].Description, Metadata = metadata ?? _datasets[index].Metadata, UpdatedAt = now,
                };
                _datasets[index] = updated;
                return updated;
            }
            var created = new LangfuseDataset { Id = NewId(), Name = name, Description = description, Metadata = metadata, CreatedAt = now, UpdatedAt = now };
            _datasets.Add(created);
            return created;
        }
    }

    public (List<LangfuseDatasetItem> Page, int Total) ListItems(string? datasetName, string? sourceTraceId, int page, int limit)
    {
        lock (_gate)
        {
            if (datasetName is not null && _datasets.All(d => d.Name != datasetName)) throw LangfuseFault.NotFound($"Dataset not found: {datasetName}");
            var all = _items.Where(i => (datasetName is null || i.DatasetName == datasetName) && (sourceTraceId is null || i.SourceTraceId == sourceTraceId))
                .OrderByDescending(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
            return (all.Skip((page - 1) * limit).Take(limit).ToList(), all.Count);
        }
    }

    /// <summary>Creates an item, or updates the one with the same id (items are upserted on their id; an id is unique across datasets).</summary>
    public LangfuseDatasetItem UpsertItem(string datasetName, string? id, JsonNode? input, JsonNode? expectedOutput, JsonNode? metadata,
        string? sourceTraceId, string? sourceObservationId, string? status)
    {
        var now = Now;
        lock (_gate)
        {
            var dataset = _datasets.FirstOrDefault(d => d.Name == datasetName) ?? throw LangfuseFault.NotFound($"Dataset not found: {datasetName}");
            var index = id is null ? -1 : _items.FindIndex(i => i.Id == id);
            if (index >= 0 && _items[index].DatasetId != dataset.Id)
                throw LangfuseFault.BadRequest($"Dataset item id '{id}' is already used in another dataset; ids are unique within a project.");
            var item = new LangfuseDatasetItem
            {
                Id = id ?? NewId(), DatasetId = dataset.Id, DatasetName = dataset.Name, Status = status ?? "ACTIVE", Input = input, ExpectedOutput = expectedOutput,
                Metadata = metadata, SourceTraceId = sourceTraceId, SourceObservationId = sourceObservationId,
                CreatedAt = index >= 0 ? _items[index].CreatedAt : now, UpdatedAt = now,
            };
            if (index >= 0) _items[index] = item;
            else _items.Add(item);
            return item;
        }
    }

    private static string NewId() => Guid.NewGuid().ToString();

    /// <summary>Where a page ended: the last row's time and id (rows are ordered by both, descending), as base64url JSON.</summary>
    private sealed record Position(DateTimeOffset Time, string Id)
    {
        public bool IsBefore(DateTimeOffset time, string id) => time < Time || (time == Time && string.CompareOrdinal(id, Id) < 0);

        public string Encode() =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { t = Time.UtcTicks, id = Id })))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static Position? Parse(string? cursor)
        {
            if (string.IsNullOrEmpty(cursor)) return null;
            try
            {
                var b64 = cursor.Replace('-', '+').Replace('_', '/');
                b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
                var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
                var ticks = (long)node!["t"]!;
                var id = (string?)node["id"] ?? throw new FormatException();
                return new Position(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            }
            catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or NullReferenceException or ArgumentOutOfRangeException)
            {
                throw LangfuseFault.BadRequest("Invalid cursor: use the cursor from the previous response's meta.");
            }
        }
    }
}
