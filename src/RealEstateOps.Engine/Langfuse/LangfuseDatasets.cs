using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>
/// Changes to Langfuse datasets: a new dataset (refused when the name is taken: Langfuse's create would silently update
/// it), and items added from traces. An item taken from a trace gets an id made from the dataset and the trace, so adding
/// the same trace again updates its item instead of duplicating it, and a retried request is harmless (items are
/// upserted on their id).
/// </summary>
public sealed class LangfuseDatasets
{
    private readonly LangfuseClient _client;

    public LangfuseDatasets(LangfuseClient client) => _client = client;

    /// <summary>LlmDatasetExists when a dataset of that name is there already (asked before any change).</summary>
    public async Task EnsureNameFreeAsync(string name, CancellationToken ct)
    {
        try
        {
            await _client.GetDatasetAsync(name, ct).ConfigureAwait(false);
        }
        catch (OpsException ex) when (ex.ErrorId == "LangfuseNotFound")
        {
            return;
        }
        throw new OpsException("LlmDatasetExists", OpsErrorCategory.ResourceExists, $"The Langfuse dataset '{name}' exists already.", name)
        { RecommendedAction = $"Add items to it with Add-LlmDatasetItem -Dataset {name}, or choose another name." };
    }

    public async Task<LlmDataset> CreateAsync(string name, string? description, JsonObject? metadata, CancellationToken ct)
    {
        ValidateName(name);
        var body = new JsonObject { ["name"] = name };
        if (description is not null) body["description"] = description;
        if (metadata is not null) body["metadata"] = metadata.DeepClone();
        return LangfuseQueries.Dataset(await _client.CreateDatasetAsync(body, name, ct).ConfigureAwait(false));
    }

    public async Task<LlmDatasetItem> AddItemAsync(LlmDatasetItemRequest request, CancellationToken ct)
    {
        ValidateName(request.DatasetName);
        var body = new JsonObject { ["datasetName"] = request.DatasetName };
        if (ItemId(request) is { } id) body["id"] = id;
        if (request.Input is not null) body["input"] = request.Input.DeepClone();
        if (request.ExpectedOutput is not null) body["expectedOutput"] = request.ExpectedOutput.DeepClone();
        if (request.Metadata is not null) body["metadata"] = request.Metadata.DeepClone();
        if (request.SourceTraceId is not null) body["sourceTraceId"] = request.SourceTraceId;
        if (request.SourceObservationId is not null) body["sourceObservationId"] = request.SourceObservationId;
        try
        {
            return LangfuseQueries.Item(await _client.CreateDatasetItemAsync(body, request.SourceTraceId ?? request.DatasetName, ct).ConfigureAwait(false));
        }
        catch (OpsException ex) when (ex.ErrorId == "LangfuseNotFound")
        {
            throw new OpsException("LlmDatasetNotFound", OpsErrorCategory.ObjectNotFound, $"There is no Langfuse dataset named '{request.DatasetName}' to add to.", request.DatasetName, ex)
            { RecommendedAction = $"Create it first: New-LlmDataset -Name {request.DatasetName}." };
        }
    }

    /// <summary>The item id for an item from a trace: stable for (dataset, trace), whichever of its observations it was read from; null for an item given by hand.</summary>
    public static string? ItemId(LlmDatasetItemRequest request)
    {
        if (request.SourceTraceId is null) return null;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{request.DatasetName}\n{request.SourceTraceId}"));
        return "reo-" + Convert.ToHexString(hash, 0, 16).ToLowerInvariant();
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 255 || name.Any(char.IsControl))
            throw new OpsException("LlmDatasetNameInvalid", OpsErrorCategory.InvalidArgument, $"'{name}' is not a dataset name: 1 to 255 characters, no control characters.", name);
    }
}
