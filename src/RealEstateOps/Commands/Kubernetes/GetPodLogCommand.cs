using System.Management.Automation;
using RealEstateOps.Common;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Kubernetes;

namespace RealEstateOps.Commands.Kubernetes;

/// <summary>kubectl logs as objects: one pod, or every pod of a deployment; -Follow streams until Ctrl+C.</summary>
[Cmdlet(VerbsCommon.Get, "PodLog", DefaultParameterSetName = "Pod")]
[OutputType(typeof(PodLogLine))]
public sealed class GetPodLogCommand : KubeCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Pod", ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    public string Pod { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "Deployment")]
    [ArgumentCompleter(typeof(DeploymentNameCompleter))]
    public string Deployment { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)] [ArgumentCompleter(typeof(NamespaceNameCompleter))] public string? Namespace { get; set; }
    [Parameter] [Alias("c")] public string? Container { get; set; }
    [Parameter] [ValidateRange(0, int.MaxValue)] public int? Tail { get; set; }
    [Parameter] [Duration] public TimeSpan? Since { get; set; }
    [Parameter] [Alias("p")] public SwitchParameter Previous { get; set; }
    /// <summary>Only lines matching this regular expression (the runbook's | grep ERROR).</summary>
    [Parameter] public string? Pattern { get; set; }
    [Parameter] [Alias("f")] public SwitchParameter Follow { get; set; }
    /// <summary>Log streams read at once for a deployment's pods (kubectl's --max-log-requests, default 5).</summary>
    [Parameter] [ValidateRange(1, 100)] public int MaxConcurrency { get; set; } = 5;

    protected override string? NamespaceParameter => Namespace;
    protected override TimeSpan RequestTimeout => Follow ? Timeout.InfiniteTimeSpan : TimeSpan.FromMinutes(2);

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var request = new PodLogRequest
        {
            Namespace = client.Namespace, Pod = ParameterSetName == "Pod" ? Pod : null, Deployment = ParameterSetName == "Deployment" ? Deployment : null,
            Container = Container, Tail = Tail, Since = Since, Previous = Previous, Pattern = Pattern, Follow = Follow, MaxConcurrency = MaxConcurrency,
        };
        Stream(ct => new PodLogReader(client).ReadAsync(request, ct));
    }
}
