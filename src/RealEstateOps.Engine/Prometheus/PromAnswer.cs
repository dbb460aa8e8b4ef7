using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>A successful API answer: its <c>data</c>, and the warnings and infos Prometheus attached to it.</summary>
public sealed record PromAnswer(JsonNode? Data, IReadOnlyList<string> Warnings, IReadOnlyList<string> Infos);
