namespace RealEstateOps.Engine.Investigation;

/// <summary>What kind of change: a deployment's new revision (a rollout), an entry of this module's journal, an Argo CD sync.</summary>
public enum RecentChangeKind
{
    Rollout,
    Journal,
    ArgoCdSync,
}

/// <summary>One change in the investigated window, newest first in every list.</summary>
public sealed class RecentChange
{
    public DateTimeOffset Time { get; init; }
    public RecentChangeKind Kind { get; init; }
    public string? Namespace { get; init; }
    /// <summary>The deployment (rollouts) or the journal entry's target.</summary>
    public string Target { get; init; } = "";
    /// <summary>What changed, in one line: "revision 3 (api-service:1.4.3)", or the journal entry's action.</summary>
    public string Summary { get; init; } = "";
    public int? Revision { get; init; }
    public IReadOnlyList<string> Images { get; init; } = Array.Empty<string>();
    /// <summary>Who or what made it: the journal's user and command; for a rollout its change-cause annotation when it has one.</summary>
    public string? By { get; init; }
    /// <summary>Whether the change concerns one of the services that spiked.</summary>
    public bool AffectsSpikedService { get; init; }

    public override string ToString() => $"{Time:u} {Kind} {Target}: {Summary}";
}
