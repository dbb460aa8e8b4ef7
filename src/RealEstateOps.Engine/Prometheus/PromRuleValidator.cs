using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// <c>promtool check rules</c> on a rule file, before anything is applied: the file is written 0600 into a new 0700 folder
/// under the temp folder (a random name) and removed with the folder afterwards. An invalid file is AlertRuleInvalid with
/// promtool's own message (the parser's words), the temp path taken out of it. Without promtool on PATH nothing is checked
/// here (<see cref="IsAvailable"/> is false): the cluster's admission check, when it has one, is then the validator.
/// </summary>
public sealed class PromRuleValidator
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public PromRuleValidator(string? promtoolPath = null)
    {
        PromtoolPath = promtoolPath ?? ProcessRunner.Which("promtool");
    }

    private PromRuleValidator(bool none) => PromtoolPath = null;

    /// <summary>A validator that checks nothing (as where promtool is missing): the cluster's admission check is then the only one.</summary>
    public static PromRuleValidator None { get; } = new(none: true);

    /// <summary>The promtool that checks rule files, or null when there is none.</summary>
    public string? PromtoolPath { get; }

    public bool IsAvailable => PromtoolPath is not null;

    /// <summary>Checks a rule file's content (<c>{"groups": [...]}</c>, the spec of a PrometheusRule object); throws AlertRuleInvalid.</summary>
    public async Task ValidateAsync(JsonObject ruleFile, string target, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        if (PromtoolPath is not { } promtool) { events.Verbose("promtool is not on PATH: the rule is not checked before it is applied."); return; }
        var folder = Path.Combine(Path.GetTempPath(), "realestateops-promtool-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant());
        UnixFiles.CreateNewPrivateFolder(folder, "AlertRuleCheckFailed");
        try
        {
            var file = Path.Combine(folder, "rules.yaml");
            // JSON is YAML: promtool reads it as the rule file Prometheus would load.
            UnixFiles.WriteNewPrivateFile(file, ruleFile.ToJsonString(Json));
            ProcessResult result;
            try
            {
                result = await ProcessRunner.RunAsync(promtool, new[] { "check", "rules", file }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new OpsException("AlertRuleCheckFailed", OpsErrorCategory.NotInstalled, $"promtool ({promtool}) could not be run: {ex.Message}", target, ex);
            }
            events.Verbose($"promtool check rules: exit code {result.ExitCode}.");
            if (result.ExitCode == 0) return;
            var message = Message(result, file);
            throw new OpsException("AlertRuleInvalid", OpsErrorCategory.InvalidArgument, $"The rule was refused by promtool check rules: {message}", target)
            {
                RecommendedAction = "Fix the expression (or the duration, label names) and try again; nothing was applied.",
            };
        }
        finally
        {
            // Only the folder made above, by its full path.
            if (folder.StartsWith(Path.GetTempPath(), StringComparison.Ordinal) && Path.GetFileName(folder).StartsWith("realestateops-promtool-", StringComparison.Ordinal))
                try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>promtool's complaint lines (after "FAILED:"), without the temp file's path.</summary>
    internal static string Message(ProcessResult result, string file)
    {
        var lines = (result.StdErr + "\n" + result.StdOut).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Checking ", StringComparison.Ordinal) && l != "FAILED:" && !l.StartsWith("SUCCESS", StringComparison.Ordinal))
            .Select(l => l.StartsWith(file + ": ", StringComparison.Ordinal) ? l[(file.Length + 2)..] : l.Replace(file, "rules.yaml"))
            .ToList();
        return lines.Count > 0 ? string.Join("; ", lines) : $"promtool exited with code {result.ExitCode}";
    }
}
