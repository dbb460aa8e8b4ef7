using System.Text;
using System.Text.Json.Nodes;

namespace RealEstateOps.Engine.Prometheus;

/// <summary>
/// A planned change to a PrometheusRule object, made by reading only: what happens to which rule, and the rule's YAML before
/// and after. <see cref="Diff"/> is what -WhatIf shows; <see cref="PromRuleObjects.ApplyAsync"/> carries it out.
/// </summary>
public sealed class PromRuleChange
{
    public PromRuleChangeKind Kind { get; init; }
    public string Namespace { get; init; } = "";
    public string ObjectName { get; init; } = "";
    public string Group { get; init; } = "";
    public string RuleName { get; init; } = "";
    /// <summary>The rule's YAML before (null for a new rule).</summary>
    public string? Before { get; init; }
    /// <summary>The rule's YAML after (null for a removed rule).</summary>
    public string? After { get; init; }

    /// <summary>The object as it will be written (null when it is deleted).</summary>
    internal JsonObject? NewObject { get; init; }
    /// <summary>The object's resourceVersion when it was read (null when it does not exist yet): a replace fails if someone changed it since.</summary>
    internal string? ResourceVersion { get; init; }

    /// <summary>"PrometheusRule monitoring/platform-alerts".</summary>
    public string Target => $"PrometheusRule {Namespace}/{ObjectName}";

    /// <summary>One line: what will be done.</summary>
    public string Summary => Kind switch
    {
        PromRuleChangeKind.CreateObject => $"Create {Target} with rule '{RuleName}' in group '{Group}'",
        PromRuleChangeKind.AddRule => $"Add rule '{RuleName}' to group '{Group}' of {Target}",
        PromRuleChangeKind.UpdateRule => $"Change rule '{RuleName}' in group '{Group}' of {Target}",
        PromRuleChangeKind.RemoveRule => $"Remove rule '{RuleName}' from group '{Group}' of {Target}",
        PromRuleChangeKind.DeleteObject => $"Delete {Target} with its last rule '{RuleName}' (group '{Group}')",
        _ => Kind.ToString(),
    };

    /// <summary>The rule's lines before (-) and after (+), unchanged lines with two spaces: the summary followed by a line diff.</summary>
    public string Diff
    {
        get
        {
            var before = Lines(Before);
            var after = Lines(After);
            var sb = new StringBuilder();
            // A longest-common-subsequence line diff: rules are a few lines long.
            var lcs = new int[before.Length + 1, after.Length + 1];
            for (var i = before.Length - 1; i >= 0; i--)
                for (var j = after.Length - 1; j >= 0; j--)
                    lcs[i, j] = before[i] == after[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            int x = 0, y = 0;
            while (x < before.Length || y < after.Length)
            {
                if (x < before.Length && y < after.Length && before[x] == after[y]) { sb.Append("  ").AppendLine(before[x]); x++; y++; }
                else if (x < before.Length && (y >= after.Length || lcs[x + 1, y] >= lcs[x, y + 1])) { sb.Append("- ").AppendLine(before[x]); x++; }
                else { sb.Append("+ ").AppendLine(after[y]); y++; }
            }
            return sb.ToString().TrimEnd();
        }
    }

    private static string[] Lines(string? yaml) =>
        string.IsNullOrEmpty(yaml) ? Array.Empty<string>() : yaml.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');

    public override string ToString() => Summary;
}
