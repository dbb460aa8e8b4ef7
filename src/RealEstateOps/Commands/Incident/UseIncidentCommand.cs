using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Incident;

namespace RealEstateOps.Commands.Incident;

/// <summary>
/// Joins an open incident: it becomes the operator's current incident (a 0600 state file), so the journal entries of every
/// command stamp its id and Add-IncidentNote, Set-Incident, Close-Incident and Export-PostMortem default to it. -Clear leaves it.
/// </summary>
[Cmdlet(VerbsOther.Use, "Incident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Id")]
[OutputType(typeof(Engine.Incident.Incident))]
public sealed class UseIncidentCommand : IncidentCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Id", ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    public string Id { get; set; } = "";

    /// <summary>No current incident any more.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Clear")] public SwitchParameter Clear { get; set; }

    protected override void ProcessRecordCore()
    {
        var current = new CurrentIncident(Paths);
        if (Clear)
        {
            Change(current.FilePath, "Leave the current incident", () => current.Clear());
            return;
        }
        var incidents = Incidents;
        var incident = Run(ct => incidents.GetAsync(Id, ct));
        if (incident.Status == IncidentStatus.Closed)
            throw new Engine.Common.OpsException("IncidentClosed", Engine.Common.OpsErrorCategory.InvalidOperation,
                $"Incident {incident.Id} is closed: it cannot be joined.", incident.Id);
        if (Environment.GetEnvironmentVariable(CurrentIncident.EnvironmentVariable) is { Length: > 0 } fromEnv && !string.Equals(fromEnv, incident.Id, StringComparison.OrdinalIgnoreCase))
            WriteWarning($"${CurrentIncident.EnvironmentVariable} is '{fromEnv}': it stays the current incident of this process until it is removed.");
        if (Change(incident.Id, "Make it the current incident", () => current.Set(incident.Id))) WriteObject(incident);
    }
}
