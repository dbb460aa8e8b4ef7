namespace RealEstateOps.Engine.ArgoCd;

/// <summary>One Kubernetes resource of an application: its sync status (status.resources) or its health (the resource tree).</summary>
public sealed class ArgoResource
{
    public string Application { get; init; } = "";
    public string? Group { get; init; }
    public string Kind { get; init; } = "";
    public string? Namespace { get; init; }
    public string Name { get; init; } = "";
    public ArgoSyncStatus? SyncStatus { get; init; }
    public ArgoHealthStatus? Health { get; init; }
    public string? HealthMessage { get; init; }

    public override string ToString() =>
        $"{(string.IsNullOrEmpty(Group) ? "" : Group + "/")}{Kind}/{(string.IsNullOrEmpty(Namespace) ? "" : Namespace + "/")}{Name}" +
        (Health is { } h ? $" ({h}{(string.IsNullOrEmpty(HealthMessage) ? "" : ": " + HealthMessage)})" : SyncStatus is { } s ? $" ({s})" : "");
}
