using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Commands.Incident;

/// <summary>Base of the incident cmdlets: one incident store client per command, opened on first use and released however the pipeline ends.</summary>
public abstract class IncidentCommandBase : OpsCommandBase
{
    private readonly OwnedClient<IncidentStore> _store = new();
    private IncidentOperations? _incidents;

    protected IncidentOperations Incidents => _incidents ??= new IncidentOperations(_store.Get(OpenIncidentStore));

    /// <summary>Incident store clients opened by commands and not yet disposed (a diagnostic for leak tests).</summary>
    internal static int OpenClients => OwnedClient<IncidentStore>.Open;

    protected override void ReleaseResources() => _store.Release();

    /// <summary>Who acts: the OS user.</summary>
    protected static string Operator => Environment.UserName;

    protected static string Machine => Environment.MachineName;

    /// <summary>The incident named by -Id, else the current one (Use-Incident / New-Incident / REALESTATEOPS_INCIDENT_ID); IncidentIdNotGiven when neither.</summary>
    protected string IncidentIdOrCurrent(string? given)
    {
        if (!string.IsNullOrWhiteSpace(given)) return given.Trim();
        var current = new CurrentIncident(Paths).Get()
                      ?? throw new OpsException("IncidentIdNotGiven", OpsErrorCategory.InvalidArgument,
                          "No incident: give -Id, or make one current with Use-Incident -Id (New-Incident makes the new one current).", null, isFatal: true);
        WriteVerbose($"Id: {current.Value} (the current incident, from {current.Source}).");
        return current.Value;
    }

    protected static IncidentSeverity? SeverityOf(string? value) => string.IsNullOrEmpty(value) ? null : Enum.Parse<IncidentSeverity>(value, ignoreCase: true);
    protected static IncidentStatus? StatusOf(string? value) => string.IsNullOrEmpty(value) ? null : Enum.Parse<IncidentStatus>(value, ignoreCase: true);
}
