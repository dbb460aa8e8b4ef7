using System.Management.Automation;
using RealEstateOps.Completers;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Notification;

namespace RealEstateOps.Commands.Notification;

/// <summary>
/// Adds a stakeholder channel to a context (or replaces the one of that name with -Force): a Slack or Teams webhook, or a
/// PagerDuty integration. The secret (the webhook URL, the routing key) is never a parameter: the channel names the file
/// that holds it (0600) or the environment variable.
/// </summary>
[Cmdlet(VerbsCommon.Add, "OpsNotificationChannel", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "File")]
[OutputType(typeof(NotificationChannel))]
public sealed class AddOpsNotificationChannelCommand : OpsCommandBase
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidatePattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateSet("Slack", "Teams", "PagerDuty")]
    public string Kind { get; set; } = "";

    /// <summary>A file whose first line is the webhook URL (Slack, Teams) or the routing key (PagerDuty); it must exist.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "File")]
    public string SecretFile { get; set; } = "";

    /// <summary>An environment variable that holds the webhook URL or routing key when notices are sent.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Environment")]
    public string SecretEnvironmentVariable { get; set; } = "";

    /// <summary>PagerDuty only: the Events API URL (default https://events.pagerduty.com/v2/enqueue).</summary>
    [Parameter] public string? Endpoint { get; set; }

    /// <summary>Notices below this severity are not sent to this channel (default Info).</summary>
    [Parameter]
    [ValidateSet("Info", "Warning", "Critical")]
    public string MinimumSeverity { get; set; } = "Info";

    /// <summary>The context to add it to (default the active context).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    public string? Context { get; set; }

    /// <summary>Replace a channel of the same name.</summary>
    [Parameter] public SwitchParameter Force { get; set; }

    protected override void ProcessRecordCore()
    {
        var contextName = Context ?? ActiveContext.Name.Value;
        ContextStore.ValidateName(contextName);
        var store = new ContextStore(Paths);
        var context = store.Exists(contextName) && File.Exists(store.PathOf(contextName)) ? store.LoadStored(contextName) : new OpsContext { Name = contextName };
        var channel = new NotificationChannel
        {
            Name = Name,
            Kind = Enum.Parse<NotificationKind>(Kind, ignoreCase: true),
            MinimumSeverity = Enum.Parse<NotificationSeverity>(MinimumSeverity, ignoreCase: true),
        };
        if (ParameterSetName == "File")
        {
            channel.SecretFile = ExistingSecretFile(SecretFile, "NotificationSecretFileNotFound", "webhook URL or routing key");
        }
        else channel.SecretEnvironmentVariable = SecretEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(Endpoint))
        {
            if (channel.Kind != NotificationKind.PagerDuty)
                throw new OpsException("NotificationEndpointInvalid", OpsErrorCategory.InvalidArgument,
                    "-Endpoint is for PagerDuty channels only: a Slack or Teams channel's URL is its secret (-SecretFile or -SecretEnvironmentVariable).", Name);
            if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
                throw new OpsException("NotificationEndpointInvalid", OpsErrorCategory.InvalidArgument, $"'{Endpoint}' is not an http(s) URL.", Name);
            channel.Endpoint = Endpoint;
        }

        var list = context.NotificationChannels ?? new List<NotificationChannel>();
        var existing = list.FindIndex(c => c.Name.Equals(Name, StringComparison.OrdinalIgnoreCase));
        if (existing >= 0 && !Force)
            throw new OpsException("NotificationChannelExists", OpsErrorCategory.ResourceExists,
                $"Context '{contextName}' already has a notification channel '{Name}' ({list[existing].Kind}); use -Force to replace it.", Name);
        var action = $"{(existing >= 0 ? "Replace" : "Add")} {channel.Kind} notification channel '{Name}' (secret from {channel.SecretSource}) in context '{contextName}'";
        if (!Change(Name, action, () =>
            {
                if (existing >= 0) list[existing] = channel; else list.Add(channel);
                context.NotificationChannels = list;
                store.Save(context);
            })) return;
        WriteObject(channel);
    }
}
