namespace RealEstateOps.Sandbox.Eks;

/// <summary>The emulated EKS cluster: its control plane's version and when it was made. Its endpoint is the sandbox's Kubernetes API.</summary>
internal sealed class EksCluster
{
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Version { get; set; }
    public required string PlatformVersion { get; set; }
    public string RoleArn => $"arn:aws:iam::{EksStore.Account}:role/{Name}-cluster-role";
    public string Arn => $"arn:aws:eks:{EksStore.Region}:{EksStore.Account}:cluster/{Name}";
    public string Id { get; init; } = "a3f5c2d1-6b7e-4f80-9a1b-2c3d4e5f6a7b";
}

/// <summary>
/// A managed node group's configuration. Its nodes are the sandbox Kubernetes nodes labelled eks.amazonaws.com/nodegroup
/// with its name: version and health are read from them.
/// </summary>
internal sealed class EksNodegroup
{
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }
    public required string InstanceType { get; init; }
    public required string AmiType { get; init; }
    public string CapacityType { get; init; } = "ON_DEMAND";
    public int MinSize { get; set; }
    public int MaxSize { get; set; }
    public int DesiredSize { get; set; }
    public int? MaxUnavailable { get; set; } = 1;
    public int? MaxUnavailablePercentage { get; set; }
    /// <summary>The AMI release new nodes launch with (moves when an update completes).</summary>
    public required string ReleaseVersion { get; set; }
    /// <summary>Node resources as the seeded nodes have them.</summary>
    public required string Cpu { get; init; }
    public required string Memory { get; init; }
    public int DiskSize { get; init; } = 50;
    public string Arn => $"arn:aws:eks:{EksStore.Region}:{EksStore.Account}:nodegroup/{EksStore.ClusterName}/{Name}/{Suffix}";
    public string Suffix { get; init; } = "00000000-0000-0000-0000-000000000000";
    public string AutoScalingGroup => "eks-" + Name + "-" + Suffix;
}

/// <summary>An installed add-on: its version; the workload it runs is in kube-system where the sandbox has one.</summary>
internal sealed class EksAddon
{
    public required string Name { get; init; }
    public required string Version { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string? ServiceAccountRoleArn { get; set; }
    public string? ConfigurationValues { get; set; }
    public string Arn => $"arn:aws:eks:{EksStore.Region}:{EksStore.Account}:addon/{EksStore.ClusterName}/{Name}/{Suffix}";
    public string Suffix { get; init; } = "00000000-0000-0000-0000-000000000000";
}

/// <summary>An error of an update (errors[] of DescribeUpdate).</summary>
internal sealed record EksUpdateError(string ErrorCode, string ErrorMessage, IReadOnlyList<string> ResourceIds);

/// <summary>
/// One update (UpdateClusterVersion, UpdateNodegroupVersion, UpdateNodegroupConfig, UpdateAddon): its status and errors, moved
/// forward with the sandbox clock by its controller.
/// </summary>
internal sealed class EksUpdate
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Nodegroup { get; init; }
    public string? Addon { get; init; }
    public string? ClientRequestToken { get; init; }
    public List<(string Type, string Value)> Params { get; init; } = new();
    public string Status { get; set; } = "InProgress";
    public List<EksUpdateError> Errors { get; } = new();
    public required IEksUpdateController Controller { get; init; }
    public bool InProgress => Status == "InProgress";

    public void Fail(string code, string message, IReadOnlyList<string> resources)
    {
        Status = "Failed";
        Errors.Add(new EksUpdateError(code, message, resources));
    }
}

/// <summary>Moves one update forward on the sandbox clock; called under the store's lock (and the Kubernetes store's).</summary>
internal interface IEksUpdateController
{
    /// <summary>Where the update is (for the sandbox's own state endpoint and messages): "setup", "scale-up", "upgrade", ...</summary>
    string Phase { get; }
    void Step(EksUpdate update, DateTimeOffset now);
}
