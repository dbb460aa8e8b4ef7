using System.Management.Automation;
using RealEstateOps.Commands.Postgres;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// The Monitoring runbook's business metrics, each from where it lives: active users, chatbot conversations, property searches,
/// proposals generated and the conversion rate from Prometheus (over -Window), and the platform database's counts of
/// properties, listings, proposals and chat sessions (the context's database settings, as Test-DbConnection uses them).
/// </summary>
[Cmdlet(VerbsCommon.Get, "BusinessMetric")]
[OutputType(typeof(BusinessMetric))]
public sealed class GetBusinessMetricCommand : PromCommandBase
{
    /// <summary>The window of the counters' increase (default 1h).</summary>
    [Parameter]
    [Duration]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Only the metrics of these sources (default both).</summary>
    [Parameter]
    [ValidateSet("Prometheus", "Database")]
    public string[] Source { get; set; } = { "Prometheus", "Database" };

    /// <summary>The platform's namespace in the metrics (default: the context's Namespace).</summary>
    [Parameter] public string? Namespace { get; set; }

    /// <summary>The database login (default: the context's DbUser with its DbPassFile).</summary>
    [Parameter] [Credential] public PSCredential? Credential { get; set; }

    [Parameter]
    [Duration]
    public TimeSpan DbTimeout { get; set; } = TimeSpan.FromSeconds(5);

    private bool Wants(string source) => Source.Contains(source, StringComparer.OrdinalIgnoreCase);

    /// <summary>The Prometheus client is opened only when Prometheus is asked, in ProcessRecord: a Prometheus that cannot be used does not keep the database's counts from being read.</summary>
    protected override void BeginProcessingCore() { }

    protected override void ProcessRecordCore()
    {
        if (Window < TimeSpan.FromSeconds(1))
            throw new OpsException("PromWindowInvalid", OpsErrorCategory.InvalidArgument, "The window must be at least 1 second.", Window);
        var reader = new BusinessMetricsReader();
        if (Wants("Prometheus"))
        {
            var ns = Setting(Namespace, nameof(Namespace), c => c.Namespace)?.Value;
            try
            {
                var queries = Queries; // opened here, on the pipeline thread
                Stream(ct => reader.FromPrometheusAsync(queries, ns, Window, Listener, ct));
            }
            catch (OpsException ex) when (Wants("Database")) { WriteError(NewErrorRecord(ex)); } // the database's counts still follow
        }
        if (Wants("Database"))
        {
            var request = DbConnectionVerbose.Resolve(this, ActiveContext, new DbConnectionParameters
            {
                CredentialUser = Credential?.UserName, Password = Credential?.GetNetworkCredential().Password, Timeout = DbTimeout,
            });
            Stream(ct => reader.FromDatabaseAsync(request, Listener, ct));
        }
    }
}
