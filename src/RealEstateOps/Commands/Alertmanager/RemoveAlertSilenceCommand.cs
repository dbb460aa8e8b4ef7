using System.Management.Automation;
using RealEstateOps.Engine.Alertmanager;

namespace RealEstateOps.Commands.Alertmanager;

/// <summary>amtool silence expire: ends silences at once (Alertmanager keeps them, expired). Takes Get-AlertSilence's output from the pipeline.</summary>
[Cmdlet(VerbsCommon.Remove, "AlertSilence", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AlertSilence))]
public sealed class RemoveAlertSilenceCommand : AlertmanagerCommandBase
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("SilenceId")]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>From the pipeline (Get-AlertSilence): the silence's matchers, shown in the confirmation.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? MatcherText { get; set; }

    [Parameter] public SwitchParameter Force { get; set; }

    /// <summary>Writes each silence as it is once expired.</summary>
    [Parameter] public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecordCore()
    {
        foreach (var id in Id)
        {
            var action = MatcherText is { Length: > 0 } m && Id.Length == 1 ? $"Expire the silence {m}" : "Expire the silence";
            try
            {
                var expired = Change(id, action, ct => Silences.ExpireAsync(id, ct), Force);
                if (expired is not null && PassThru) WriteObject(expired);
            }
            catch (Engine.Common.OpsException ex) when (!ex.IsFatal) { WriteOpsError(ex); }
        }
    }
}
