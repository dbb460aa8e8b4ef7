using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Langfuse;

/// <summary>One page of a cursor-paged list: its rows and the cursor of the next page (null on the last one).</summary>
public sealed record LangfusePage(IReadOnlyList<JsonObject> Rows, string? Cursor);
