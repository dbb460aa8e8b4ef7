namespace RealEstateOps.Engine.Incident;

/// <summary>What one triage step found.</summary>
public enum TriageStatus
{
    /// <summary>Checked, and healthy.</summary>
    Ok,
    /// <summary>Checked, and part of the problem.</summary>
    Problem,
    /// <summary>Facts for the record (recent changes, configuration): neither healthy nor unhealthy.</summary>
    Info,
    /// <summary>The step ran but could not tell (its source failed): the summary says why.</summary>
    Unknown,
    /// <summary>The step did not run (its source is not configured): the summary says why.</summary>
    Skipped,
}
