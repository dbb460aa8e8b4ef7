namespace RealEstateOps.Engine.Eks;

/// <summary>The parts of an upgrade, in the order they run.</summary>
public enum EksUpgradeStepKind
{
    /// <summary>UpdateClusterVersion: the control plane to the target minor.</summary>
    ControlPlane,
    /// <summary>UpdateAddon: one add-on to the target's default version.</summary>
    Addon,
    /// <summary>UpdateNodegroupVersion: one managed node group to the target minor (its nodes replaced).</summary>
    NodeGroup,
    /// <summary>The final check: control plane, every kubelet and add-on at the target, every deployment available.</summary>
    Verify,
}
