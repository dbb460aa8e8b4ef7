using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.Notification;

/// <summary>
/// The webhook URLs and the PagerDuty routing key a started sandbox hands to its clients, each one line in a 0600 file of its
/// state folder (never argv or the info file, which names the files): the channels ops-slack, ops-teams and oncall.
/// </summary>
public static class NotificationSecretFiles
{
    public const string SlackChannel = "ops-slack";
    public const string TeamsChannel = "ops-teams";

    public sealed record Files(string SlackWebhookUrlFile, string TeamsWebhookUrlFile, string PagerDutyRoutingKeyFile, string PagerDutyEndpoint);

    public static Files Write(string folder, SandboxSecrets secrets, Uri baseUrl)
    {
        var root = baseUrl.ToString().TrimEnd('/');
        string One(string name, string content) => SandboxSecretFile.Write(folder, name, content);
        return new Files(
            One("slack-webhook-url", $"{root}{NotificationService.SlackPrefix}/{SlackChannel}/{secrets.WebhookToken}"),
            One("teams-webhook-url", $"{root}{NotificationService.TeamsPrefix}/{TeamsChannel}/{secrets.WebhookToken}"),
            One("pagerduty-routing-key", secrets.PagerDutyRoutingKey),
            root + NotificationService.PagerDutyPath);
    }
}
