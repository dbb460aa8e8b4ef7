namespace RealEstateOps.Engine.Eks;

/// <summary>
/// The EKS API operations the maintenance runbook uses, named after them (API version 2017-11-01, REST-JSON), so that
/// another transport could stand behind this interface. Failures are OpsExceptions whose id is EKS's error code
/// (ResourceNotFoundException, ResourceInUseException, InvalidParameterException, InvalidStateException, ...), or
/// EksUnreachable, EksTimeout, EksResponseTooLarge, EksResponseInvalid.
/// </summary>
public interface IEksClient
{
    Task<EksPage<string>> ListClustersAsync(int? maxResults, string? nextToken, CancellationToken ct);

    Task<EksCluster> DescribeClusterAsync(string name, CancellationToken ct);

    Task<EksPage<string>> ListNodegroupsAsync(string clusterName, int? maxResults, string? nextToken, CancellationToken ct);

    Task<EksNodeGroup> DescribeNodegroupAsync(string clusterName, string nodegroupName, CancellationToken ct);

    Task<EksUpdate> UpdateNodegroupVersionAsync(EksNodeGroupVersionUpdate request, CancellationToken ct);

    Task<EksUpdate> UpdateClusterVersionAsync(EksClusterVersionUpdate request, CancellationToken ct);

    Task<EksPage<string>> ListUpdatesAsync(string clusterName, string? nodegroupName, string? addonName, int? maxResults, string? nextToken, CancellationToken ct);

    Task<EksUpdate> DescribeUpdateAsync(string clusterName, string updateId, string? nodegroupName, string? addonName, CancellationToken ct);

    Task<EksPage<string>> ListAddonsAsync(string clusterName, int? maxResults, string? nextToken, CancellationToken ct);

    Task<EksAddon> DescribeAddonAsync(string clusterName, string addonName, CancellationToken ct);

    Task<EksPage<EksAddonCatalogEntry>> DescribeAddonVersionsAsync(string? kubernetesVersion, string? addonName, int? maxResults, string? nextToken, CancellationToken ct);

    Task<EksUpdate> UpdateAddonAsync(EksAddonUpdate request, CancellationToken ct);

    Task<EksPage<EksInsight>> ListInsightsAsync(string clusterName, EksInsightFilter? filter, int? maxResults, string? nextToken, CancellationToken ct);

    Task<EksInsight> DescribeInsightAsync(string clusterName, string id, CancellationToken ct);
}
