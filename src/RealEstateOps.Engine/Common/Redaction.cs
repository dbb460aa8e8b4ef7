using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.Common;

/// <summary>One rule for what counts as a secret, used by the journal and by verbose output.</summary>
public static partial class Redaction
{
    public const string Mask = "***";

    [GeneratedRegex("(password|passwd|pwd|secret|token|credential|connectionstring|accesskey|secretkey|sessionkey|apikey)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)\b(password|pwd)\s*=\s*(""[^""]*""|'[^']*'|[^;]*)")]
    private static partial Regex ConnectionStringPassword();

    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    /// <summary>Removes password=... pairs from a connection string or a message that quotes one.</summary>
    public static string ScrubConnectionString(string text) =>
        ConnectionStringPassword().Replace(text, m => m.Groups[1].Value + "=" + Mask);
}
