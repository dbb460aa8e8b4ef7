using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Langfuse;

namespace RealEstateOps.Commands.Langfuse;

/// <summary>Langfuse datasets: all of them (streamed page by page), those whose names match a wildcard, or one by name (LlmDatasetNotFound when there is none).</summary>
[Cmdlet(VerbsCommon.Get, "LlmDataset")]
[OutputType(typeof(LlmDataset))]
public sealed class GetLlmDatasetCommand : LangfuseCommandBase
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(LlmDatasetNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecordCore()
    {
        if (Name is { Length: > 0 } names && names.All(n => !Wildcard.HasWildcard(n)))
        {
            foreach (var name in names)
            {
                try { WriteObject(Run(ct => Queries.GetDatasetAsync(name, ct))); }
                catch (OpsException ex) when (!ex.IsFatal) { WriteOpsError(ex); }
            }
            return;
        }
        var patterns = Name?.Select(Wildcard.ToRegex).ToList();
        Stream(ct => Filter(Queries.ListDatasetsAsync(50, ct), patterns));
    }

    private static async IAsyncEnumerable<LlmDataset> Filter(IAsyncEnumerable<LlmDataset> datasets, List<System.Text.RegularExpressions.Regex>? patterns)
    {
        await foreach (var d in datasets.ConfigureAwait(false))
            if (patterns is null || patterns.Any(p => p.IsMatch(d.Name))) yield return d;
    }
}
