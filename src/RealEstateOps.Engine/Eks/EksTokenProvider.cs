using System.Net.Http.Headers;
using k8s.Authentication;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// The Kubernetes client's bearer token for an EKS cluster: minted on first use and again once the current one reaches its
/// refresh time (14 minutes after it was signed), so a long command (a drain, a followed log, a wait) never sends an expired
/// token. Mints one at a time; concurrent requests share the new token.
/// </summary>
public sealed class EksTokenProvider : ITokenProvider
{
    private readonly EksTokenMinter _minter;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private EksToken? _current;

    public EksTokenProvider(EksTokenMinter minter, string clusterName, TimeProvider? time = null)
    {
        _minter = minter;
        ClusterName = clusterName;
        _time = time ?? TimeProvider.System;
    }

    public string ClusterName { get; }

    /// <summary>How many tokens were minted (diagnostics and tests; never the tokens).</summary>
    public int Minted { get; private set; }

    /// <summary>A token valid for at least <see cref="EksToken.RefreshMargin"/> more: the current one, or a new one.</summary>
    public async Task<EksToken> GetTokenAsync(CancellationToken ct)
    {
        if (_current is { } fresh && _time.GetUtcNow() < fresh.RefreshAt) return fresh;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_current is { } other && _time.GetUtcNow() < other.RefreshAt) return other;
            var token = await _minter.MintAsync(ClusterName, ct).ConfigureAwait(false);
            Minted++;
            return _current = token;
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        new("Bearer", (await GetTokenAsync(cancellationToken).ConfigureAwait(false)).Value);

    public override string ToString() => $"EKS tokens for cluster '{ClusterName}'";
}
