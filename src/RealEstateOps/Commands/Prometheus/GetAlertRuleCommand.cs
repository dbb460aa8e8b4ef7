using System.Management.Automation;
using RealEstateOps.Commands.Kubernetes;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Prometheus;

namespace RealEstateOps.Commands.Prometheus;

/// <summary>
/// The alert and recording rules: as Prometheus evaluates them (the rules API: state, health, last error; the default), or
/// with -Source Cluster as written in the PrometheusRule objects (kubectl get prometheusrules -n monitoring), one per rule
/// with its namespace, object and group.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AlertRule", DefaultParameterSetName = "Prometheus")]
[OutputType(typeof(PromRule), ParameterSetName = new[] { "Prometheus" })]
[OutputType(typeof(PromRuleDefinition), ParameterSetName = new[] { "Cluster" })]
public sealed class GetAlertRuleCommand : KubeCommandBase
{
    private readonly OwnedClient<PromClient> _prometheus = new();

    [Parameter(Position = 0)]
    [SupportsWildcards]
    [Alias("AlertName")]
    [ArgumentCompleter(typeof(AlertRuleNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter] [SupportsWildcards] public string[]? Group { get; set; }

    [Parameter]
    [ValidateSet("Alerting", "Recording")]
    public string? Type { get; set; }

    /// <summary>Prometheus (what it evaluates: state, health, last error) or Cluster (the PrometheusRule objects).</summary>
    [Parameter]
    [ValidateSet("Prometheus", "Cluster")]
    public string Source { get; set; } = "Prometheus";

    [Parameter] public string? PrometheusUrl { get; set; }
    [Parameter] [Credential] public PSCredential? PrometheusCredential { get; set; }

    /// <summary>With -Source Cluster: the namespace of the PrometheusRule objects (default monitoring).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceNameCompleter))]
    public string Namespace { get; set; } = "monitoring";

    /// <summary>With -Source Cluster: the objects of every namespace.</summary>
    [Parameter] public SwitchParameter AllNamespaces { get; set; }

    /// <summary>With -Source Cluster: one PrometheusRule object only.</summary>
    [Parameter] [Alias("PrometheusRule")] public string? ObjectName { get; set; }

    protected override string? NamespaceParameter => Namespace;

    protected override void ProcessRecordCore()
    {
        PromRuleType? type = Type is null ? null : Enum.Parse<PromRuleType>(Type, ignoreCase: true);
        if (Source == "Cluster")
        {
            var objects = new PromRuleObjects(Client());
            var query = new PromRuleDefinitionQuery { Namespace = AllNamespaces ? null : Namespace, ObjectName = ObjectName, Names = Name, Groups = Group, Type = type };
            Stream(ct => objects.ListAsync(query, ct));
            return;
        }
        var queries = new PromQueries(_prometheus.Get(() => OpenPrometheus(PrometheusUrl, PrometheusCredential)));
        Stream(ct => queries.ListRulesAsync(new PromRuleQuery { Names = Name, Groups = Group, Type = type }, Listener, ct));
    }

    protected override void ReleaseResources()
    {
        _prometheus.Release();
        base.ReleaseResources();
    }
}
