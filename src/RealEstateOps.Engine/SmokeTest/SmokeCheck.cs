namespace RealEstateOps.Engine.SmokeTest;

/// <summary>
/// A built-in check, as declared in a check file: a request to a service through the Kubernetes API's service proxy, the
/// status it must answer, optionally a JSON value at a path, and a latency budget.
/// </summary>
public sealed class SmokeCheck
{
    public string Name { get; set; } = "";
    public string Service { get; set; } = "";
    /// <summary>The service's port (number or name); the service's first when omitted.</summary>
    public string? Port { get; set; }
    public string Path { get; set; } = "/health";
    public string Method { get; set; } = "GET";
    /// <summary>A JSON body for POST.</summary>
    public System.Text.Json.Nodes.JsonNode? Body { get; set; }
    public int ExpectedStatus { get; set; } = 200;
    /// <summary>A path into the JSON answer: <c>$.status</c>, <c>items[0].id</c>, <c>$.items.length</c>.</summary>
    public string? JsonPath { get; set; }
    /// <summary>The value expected at JsonPath (compared as text); with JsonPath alone, the value only has to exist.</summary>
    public string? ExpectedValue { get; set; }
    public int? LatencyBudgetMs { get; set; }
    /// <summary>The namespace; the command's (the context's) when omitted.</summary>
    public string? Namespace { get; set; }
}
