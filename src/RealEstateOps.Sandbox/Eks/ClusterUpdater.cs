namespace RealEstateOps.Sandbox.Eks;

/// <summary>
/// UpdateClusterVersion on the sandbox clock: the control plane's new API servers come up over <see cref="Duration"/>
/// (the cluster is UPDATING meanwhile); then the cluster reports the new version and platform version, and the sandbox
/// Kubernetes API's /version (kubectl version) the new minor.
/// </summary>
internal sealed class ClusterUpdater : IEksUpdateController
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(4);
    private readonly EksStore _store;
    private readonly string _version;
    private readonly DateTimeOffset _start;

    public ClusterUpdater(EksStore store, string version, DateTimeOffset start)
    {
        _store = store;
        _version = version;
        _start = start;
    }

    public string Phase { get; private set; } = "updating-control-plane";

    public void Step(EksUpdate update, DateTimeOffset now)
    {
        if (now - _start < Duration) return;
        _store.Cluster.Version = _version;
        _store.Cluster.PlatformVersion = EksReleases.PlatformVersion(_version);
        var minor = EksReleases.MinorNumber(_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _store.Platform.ServerVersion = new Kubernetes.KubeServerVersion("1", minor, EksReleases.ServerGitVersion(_version));
        Phase = "done";
        update.Status = "Successful";
    }
}
