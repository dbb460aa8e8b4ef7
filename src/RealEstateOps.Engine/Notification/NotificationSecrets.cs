using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Notification;

/// <summary>
/// Reads a channel's secret (webhook URL or routing key) from its file (first non-empty line) or its environment
/// variable. Errors name the file or the variable, never the value.
/// </summary>
public static class NotificationSecrets
{
    public static string Read(NotificationChannel channel, Func<string, string?>? env = null)
    {
        if (channel.SecretFile is { Length: > 0 } path)
        {
            if (!File.Exists(path))
                throw new OpsException("NotificationSecretFileNotFound", OpsErrorCategory.ObjectNotFound,
                    $"Channel '{channel.Name}': the secret file '{path}' does not exist.", channel.Name)
                { RecommendedAction = "Write the webhook URL or routing key into the file (one line, chmod 600), or point the channel at another (Add-OpsNotificationChannel)." };
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OpsException("NotificationSecretFileUnreadable", OpsErrorCategory.ReadError,
                    $"Channel '{channel.Name}': the secret file '{path}' could not be read ({ex.GetType().Name}).", channel.Name);
            }
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { Length: > 0 } line
                ? line
                : throw new OpsException("NotificationSecretMissing", OpsErrorCategory.InvalidData, $"Channel '{channel.Name}': the secret file '{path}' is empty.", channel.Name);
        }
        if (channel.SecretEnvironmentVariable is { Length: > 0 } name)
        {
            var value = (env ?? Environment.GetEnvironmentVariable)(name);
            return string.IsNullOrWhiteSpace(value)
                ? throw new OpsException("NotificationSecretMissing", OpsErrorCategory.InvalidData,
                    $"Channel '{channel.Name}': the environment variable '{name}' is not set.", channel.Name)
                : value.Trim();
        }
        throw new OpsException("NotificationSecretMissing", OpsErrorCategory.InvalidData,
            $"Channel '{channel.Name}' names neither a secret file nor an environment variable.", channel.Name);
    }
}
