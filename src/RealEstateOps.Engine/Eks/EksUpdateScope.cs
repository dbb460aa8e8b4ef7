namespace RealEstateOps.Engine.Eks;

/// <summary>What an update belongs to, which DescribeUpdate needs to find it again: the cluster, one of its node groups, or one of its add-ons.</summary>
public enum EksUpdateScope
{
    Cluster,
    NodeGroup,
    Addon,
}
