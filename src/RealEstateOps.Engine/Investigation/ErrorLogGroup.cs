namespace RealEstateOps.Engine.Investigation;

/// <summary>Log lines of a service's pods that are the same error once numbers and ids are set aside, counted.</summary>
public sealed class ErrorLogGroup
{
    public string Namespace { get; init; } = "";
    public string Service { get; init; } = "";
    /// <summary>The line with numbers, ids and addresses replaced by placeholders (&lt;n&gt;, &lt;id&gt;): what the lines have in common.</summary>
    public string Pattern { get; init; } = "";
    public int Count { get; init; }
    /// <summary>One line as it was written.</summary>
    public string Example { get; init; } = "";
    public IReadOnlyList<string> Pods { get; init; } = Array.Empty<string>();
    public DateTimeOffset? FirstSeen { get; init; }
    public DateTimeOffset? LastSeen { get; init; }

    public override string ToString() => $"{Count} x {Service}: {Pattern}";
}
