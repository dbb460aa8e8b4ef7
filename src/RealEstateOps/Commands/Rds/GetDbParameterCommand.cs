using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Commands.Rds;

/// <summary>"aws rds describe-db-parameters": the parameters of a DB parameter group (the instance's, by default), streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "DbParameter", DefaultParameterSetName = "Instance")]
[OutputType(typeof(DbParameter))]
public sealed class GetDbParameterCommand : RdsCommandBase
{
    /// <summary>Parameter names, wildcards allowed (max_conn*).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DbParameterNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Group", ValueFromPipelineByPropertyName = true)]
    [Alias("DBParameterGroupName", "ParameterGroup")]
    [ArgumentCompleter(typeof(DbParameterGroupNameCompleter))]
    public string ParameterGroupName { get; set; } = "";

    [Parameter(ParameterSetName = "Instance", ValueFromPipelineByPropertyName = true)]
    [Alias("DBInstanceIdentifier")]
    [ArgumentCompleter(typeof(DbInstanceIdCompleter))]
    public string? DbInstanceId { get; set; }

    [Parameter]
    [ValidateSet("user", "system", "engine-default")]
    public string? Source { get; set; }

    /// <summary>Parameters per DescribeDBParameters page (20 to 100).</summary>
    [Parameter]
    [ValidateRange(20, 100)]
    public int PageSize { get; set; } = 100;

    protected override void ProcessRecordCore()
    {
        var query = ParameterSetName == "Group"
            ? new DbParameterQuery { GroupName = ParameterGroupName, Names = Name ?? Array.Empty<string>(), Source = Source, PageSize = PageSize }
            : new DbParameterQuery { DbInstanceId = InstanceId(DbInstanceId), Names = Name ?? Array.Empty<string>(), Source = Source, PageSize = PageSize };
        Stream(ct => Parameters.GetParametersAsync(query, ct));
    }
}
