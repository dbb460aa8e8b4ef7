using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// A PromQL query: instant (now, or -At) or, with -Start, a range (-End default now, -Step default about 250 points).
/// Writes typed samples (labels, timestamp, value; a range query's series one after the other, each in time order).
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "PromQuery", DefaultParameterSetName = "Instant")]
[OutputType(typeof(PromSample))]
public sealed class InvokePromQueryCommand : PromCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Expression")]
    [ValidateNotNullOrEmpty]
    public string Query { get; set; } = "";

    /// <summary>An instant query's evaluation time (default: Prometheus' now).</summary>
    [Parameter(ParameterSetName = "Instant")] public DateTimeOffset? At { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Range")] public DateTimeOffset Start { get; set; }
    [Parameter(ParameterSetName = "Range")] public DateTimeOffset? End { get; set; }

    [Parameter(ParameterSetName = "Range")]
    [Duration]
    public TimeSpan? Step { get; set; }

    /// <summary>Prometheus' evaluation timeout for the query (its timeout parameter); it answers PromTimeout beyond it.</summary>
    [Parameter]
    [Duration]
    public TimeSpan? Timeout { get; set; }

    protected override void ProcessRecordCore()
    {
        var query = new PromQuery
        {
            Expression = Query,
            At = At,
            Start = ParameterSetName == "Range" ? Start : null,
            End = End,
            Step = Step,
            Timeout = Timeout,
        };
        Stream(ct => Queries.SamplesAsync(query, Listener, ct));
    }
}
