namespace RealEstateOps.Engine.Incident;

/// <summary>The Incident Response runbook's severity levels (SEV1 a complete outage ... SEV4 cosmetic).</summary>
public enum IncidentSeverity
{
    SEV1 = 1,
    SEV2 = 2,
    SEV3 = 3,
    SEV4 = 4,
}
