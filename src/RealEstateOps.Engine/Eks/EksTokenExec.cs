using k8s.KubeConfigModels;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// A kubeconfig user's exec plugin when it is <c>aws eks get-token --cluster-name X [--region R] [--profile P]</c> (the shape
/// <c>aws eks update-kubeconfig</c> writes, with <c>AWS_PROFILE</c> in its env when given --profile): what the module needs
/// to mint the same token itself. Anything that would make the aws CLI do something else (--role-arn, --cluster-id,
/// --endpoint-url, other environment variables) is not recognised: that exec runs as written.
/// </summary>
public sealed record EksTokenExec(string ClusterName, string? Region, string? Profile)
{
    /// <summary>The exec as an aws eks get-token call the module can stand in for, or null with why not (for verbose output).</summary>
    public static EksTokenExec? Recognise(ExternalExecution exec, out string? reason)
    {
        reason = null;
        var command = exec.Command?.Trim() ?? "";
        var program = Path.GetFileName(command.Replace('\\', '/'));
        if (!string.Equals(program, "aws", StringComparison.Ordinal) && !string.Equals(program, "aws.exe", StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(program, "aws.cmd", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"the exec plugin is '{program}', not the aws CLI";
            return null;
        }

        string? cluster = null, region = null, profile = null;
        var positional = new List<string>();
        var args = exec.Arguments?.ToList() ?? new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is > 2 and var eq)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string? Value()
            {
                if (inline is not null) return inline;
                return i + 1 < args.Count ? args[++i] : null;
            }
            switch (arg)
            {
                case "--cluster-name": cluster = Value(); break;
                case "--region": region = Value(); break;
                case "--profile": profile = Value(); break;
                case "--output":
                    if (Value() is not ("json" or "yaml" or "text" or "table" or "yaml-stream"))
                    {
                        reason = "its --output is not one the aws CLI knows";
                        return null;
                    }
                    break;
                case var option when option.StartsWith("-", StringComparison.Ordinal):
                    reason = $"it passes {option}, which the module does not stand in for";
                    return null;
                default: positional.Add(arg); break;
            }
        }
        if (positional is not ["eks", "get-token"])
        {
            reason = $"it runs 'aws {string.Join(' ', positional)}', not 'aws eks get-token'";
            return null;
        }
        if (string.IsNullOrWhiteSpace(cluster))
        {
            reason = "it names no --cluster-name";
            return null;
        }
        foreach (var variable in exec.EnvironmentVariables ?? Array.Empty<Dictionary<string, string>>())
        {
            var name = variable.GetValueOrDefault("name");
            var value = variable.GetValueOrDefault("value");
            if (name == "AWS_PROFILE" && !string.IsNullOrWhiteSpace(value)) profile ??= value;
            else if (name is not null and not "AWS_STS_REGIONAL_ENDPOINTS")
            {
                reason = $"its env sets {name}, which the module does not stand in for";
                return null;
            }
        }
        return new EksTokenExec(cluster!, string.IsNullOrWhiteSpace(region) ? null : region, string.IsNullOrWhiteSpace(profile) ? null : profile);
    }
}
