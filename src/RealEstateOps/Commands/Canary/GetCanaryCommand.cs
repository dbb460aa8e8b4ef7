using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Canary;

namespace RealEstateOps.Commands.Canary;

/// <summary>The canaries (their TrafficSplits): weight, phase, checks passed and failed, the last measured values; one with -Deployment.</summary>
[Cmdlet(VerbsCommon.Get, "Canary")]
[OutputType(typeof(CanaryStatus))]
public sealed class GetCanaryCommand : CanaryCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CanaryNameCompleter))]
    public string? Deployment { get; set; }

    [Parameter] public SwitchParameter AllNamespaces { get; set; }

    [Parameter] [ValidateRange(1, 10000)] public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var client = Client();
        var ns = NamespaceOf(client);
        var objects = new CanaryObjects(client);
        if (Deployment is { Length: > 0 } name) WriteObject(Run(ct => objects.GetAsync(ns, name, ct)));
        else Stream(ct => objects.ListAsync(AllNamespaces ? null : ns, PageSize, ct));
    }
}
