using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// UpdateNodegroupConfig (scalingConfig, updateConfig) on the sandbox clock: after <see cref="ApplyTime"/> the new sizes and
/// maxUnavailable apply; the group launches nodes at its release up to the desired size, or terminates its emptiest nodes
/// down to it (their pods are rescheduled elsewhere).
/// </summary>
internal sealed class NodeGroupScaler : IEksUpdateController
{
    public static readonly TimeSpan ApplyTime = TimeSpan.FromSeconds(30);
    private readonly EksStore _store;
    private readonly EksNodegroup _ng;
    private readonly int _min, _max, _desired;
    private readonly int? _maxUnavailable, _maxUnavailablePercentage;
    private readonly DateTimeOffset _start;

    public NodeGroupScaler(EksStore store, EksNodegroup ng, int min, int max, int desired, int? maxUnavailable, int? maxUnavailablePercentage, DateTimeOffset start)
    {
        _store = store;
        _ng = ng;
        (_min, _max, _desired) = (min, max, desired);
        (_maxUnavailable, _maxUnavailablePercentage) = (maxUnavailable, maxUnavailablePercentage);
        _start = start;
    }

    public string Phase { get; private set; } = "applying";

    public void Step(EksUpdate update, DateTimeOffset now)
    {
        if (now - _start < ApplyTime) return;
        (_ng.MinSize, _ng.MaxSize, _ng.DesiredSize) = (_min, _max, _desired);
        if (_maxUnavailable is { } mu) (_ng.MaxUnavailable, _ng.MaxUnavailablePercentage) = (mu, null);
        if (_maxUnavailablePercentage is { } mp) (_ng.MaxUnavailable, _ng.MaxUnavailablePercentage) = (null, mp);
        var nodes = _store.NodesOf(_ng.Name);
        var release = EksReleases.Find(_ng.ReleaseVersion) ?? EksReleases.Latest(_store.Cluster.Version);
        for (var i = nodes.Count; i < _desired; i++) _store.LaunchNode(_ng, release);
        foreach (var extra in nodes.OrderBy(n => PodCount(KubeStore.NameOf(n))).Take(Math.Max(0, nodes.Count - _desired)).ToList())
        {
            var name = KubeStore.NameOf(extra);
            foreach (var pod in _store.Kube.Items(KubeResources.Pods).Where(p => (string?)p["spec"]?["nodeName"] == name).ToList()) _store.KubeController.Terminate(pod, null);
            _store.TerminateNode(name);
        }
        _ng.ModifiedAt = now;
        Phase = "done";
        update.Status = "Successful";
    }

    private int PodCount(string node) => _store.Kube.Items(KubeResources.Pods).Count(p => (string?)p["spec"]?["nodeName"] == node);
}
