namespace RealEstateOps.Engine.ArgoCd;

/// <summary>One deployment in an application's history (status.history[]), with the git tag that points at its revision.</summary>
public sealed class ArgoHistoryEntry
{
    public string Application { get; init; } = "";
    public long Id { get; init; }
    public string? Revision { get; init; }
    /// <summary>The tag at the revision (a v* tag first), from GET .../revisions/{revision}/metadata; null when none.</summary>
    public string? Tag { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public DateTimeOffset? DeployedAt { get; init; }
    public DateTimeOffset? DeployStartedAt { get; init; }
    public string? InitiatedBy { get; init; }
    public bool Automated { get; init; }
    /// <summary>Whether this is the newest entry: what is deployed now.</summary>
    public bool IsCurrent { get; init; }

    /// <summary>The revision in its short form (the first 8 characters of a commit), for views.</summary>
    public string? ShortRevision => ArgoApplication.Short(Revision);

    internal ArgoHistoryEntry WithTags(IReadOnlyList<string> tags) => new()
    {
        Application = Application, Id = Id, Revision = Revision, Tags = tags, Tag = ArgoJson.BestTag(tags),
        DeployedAt = DeployedAt, DeployStartedAt = DeployStartedAt, InitiatedBy = InitiatedBy, Automated = Automated, IsCurrent = IsCurrent,
    };

    public override string ToString() => $"{Application} #{Id} {Tag ?? ArgoApplication.Short(Revision)}";
}
