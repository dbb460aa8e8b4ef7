namespace RealEstateOps.Engine.Langfuse;

/// <summary>What LLM metrics are grouped by: the model (providedModelName), the trace's name, the day (UTC).</summary>
public enum LlmMetricGrouping { Model, TraceName, Day }
