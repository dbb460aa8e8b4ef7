using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Eks;

/// <summary>Reads every page of an EKS list for the upgrade's own bookkeeping (a handful of node groups, add-ons, updates), guarding against a token that does not move.</summary>
internal static class EksUpgradePaging
{
    public static async Task<List<T>> AllAsync<T>(string what, Func<string?, Task<EksPage<T>>> page)
    {
        var items = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var p = await page(token).ConfigureAwait(false);
            items.AddRange(p.Items);
            token = p.NextToken;
            if (!string.IsNullOrEmpty(token) && !seen.Add(token))
                throw new OpsException("EksPagingLoop", OpsErrorCategory.InvalidResult, $"EKS returned the same nextToken twice while listing {what}; the list was stopped after {items.Count} items.", what);
        } while (!string.IsNullOrEmpty(token));
        return items;
    }
}
