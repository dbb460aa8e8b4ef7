using RealEstateOps.Engine.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// The kubeconfig entries <c>aws eks update-kubeconfig</c> writes for a cluster: a cluster entry named by the cluster's ARN
/// (server, certificate-authority-data), a user of the same name whose exec plugin is
/// <c>aws --region R eks get-token --cluster-name X --output json</c> (with <c>AWS_PROFILE</c> in its env when a profile is
/// named), and a context named by the ARN or the alias, made the current one.
/// </summary>
public sealed class EksKubeconfigEntry
{
    public string Path { get; init; } = "";
    public string ClusterName { get; init; } = "";
    public string ClusterArn { get; init; } = "";
    public string Server { get; init; } = "";
    public string CertificateAuthorityData { get; init; } = "";
    public string Region { get; init; } = "";
    public string? Profile { get; init; }
    /// <summary>The context's name: the alias, else the ARN.</summary>
    public string ContextName { get; init; } = "";
    /// <summary>Whether the file exists already (its other entries are kept) or is made (0600, in a 0700 folder when that is new too).</summary>
    public bool FileExists { get; init; }

    public override string ToString() => $"context '{ContextName}' for EKS cluster '{ClusterName}' in {Path}";
}

/// <summary>Plans and writes <see cref="EksKubeconfigEntry"/>s, merging into an existing kubeconfig without losing its other entries or fields.</summary>
public static class EksKubeconfig
{
    public const string ExecApiVersion = "client.authentication.k8s.io/v1beta1";

    /// <summary>The entry for a cluster as DescribeCluster returned it; a cluster without endpoint or CA yet is EksClusterNotReady.</summary>
    public static EksKubeconfigEntry Plan(EksCluster cluster, string region, string? profile, string? alias, string path)
    {
        if (string.IsNullOrEmpty(cluster.Endpoint) || string.IsNullOrEmpty(cluster.CertificateAuthorityData))
            throw new OpsException("EksClusterNotReady", OpsErrorCategory.ResourceUnavailable,
                $"EKS cluster '{cluster.Name}' (status {cluster.Status}) has no API endpoint or certificate authority yet; write its kubeconfig entry once it is ACTIVE.",
                cluster.Name, isFatal: true);
        var arn = string.IsNullOrEmpty(cluster.Arn) ? cluster.Name : cluster.Arn;
        return new EksKubeconfigEntry
        {
            Path = path, ClusterName = cluster.Name, ClusterArn = arn, Server = cluster.Endpoint, CertificateAuthorityData = cluster.CertificateAuthorityData,
            Region = region, Profile = profile, ContextName = string.IsNullOrWhiteSpace(alias) ? arn : alias, FileExists = File.Exists(path),
        };
    }

    /// <summary>Writes the entry: replaces entries of the same names, keeps everything else, sets current-context.</summary>
    public static void Write(EksKubeconfigEntry entry)
    {
        var root = Load(entry.Path);
        SetScalar(root, "apiVersion", "v1", onlyIfMissing: true);
        SetScalar(root, "kind", "Config", onlyIfMissing: true);

        var cluster = new YamlMappingNode
        {
            { "certificate-authority-data", entry.CertificateAuthorityData },
            { "server", entry.Server },
        };
        Upsert(root, "clusters", entry.ClusterArn, "cluster", cluster);

        var args = new YamlSequenceNode("--region", entry.Region, "eks", "get-token", "--cluster-name", entry.ClusterName, "--output", "json");
        var exec = new YamlMappingNode
        {
            { "apiVersion", ExecApiVersion },
            { "args", args },
            { "command", "aws" },
        };
        if (entry.Profile is { Length: > 0 } profile)
            exec.Add("env", new YamlSequenceNode(new YamlMappingNode { { "name", "AWS_PROFILE" }, { "value", profile } }));
        Upsert(root, "users", entry.ClusterArn, "user", new YamlMappingNode { { "exec", exec } });

        Upsert(root, "contexts", entry.ContextName, "context", new YamlMappingNode { { "cluster", entry.ClusterArn }, { "user", entry.ClusterArn } });
        SetScalar(root, "current-context", entry.ContextName, onlyIfMissing: false);

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        FileUtil.WriteAtomic(entry.Path, text, ownerOnly: true);
    }

    private static YamlMappingNode Load(string path)
    {
        if (!File.Exists(path)) return new YamlMappingNode();
        try
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path)) stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return new YamlMappingNode();
            return stream.Documents[0].RootNode as YamlMappingNode
                ?? throw new OpsException("KubeconfigInvalid", OpsErrorCategory.InvalidData, $"The kubeconfig '{path}' is not a YAML mapping; it was left as it is.", path, isFatal: true);
        }
        catch (YamlException ex)
        {
            throw new OpsException("KubeconfigInvalid", OpsErrorCategory.InvalidData, $"The kubeconfig '{path}' is not valid YAML ({ex.Start}): {ex.Message}; it was left as it is.", path, isFatal: true);
        }
    }

    private static void SetScalar(YamlMappingNode root, string key, string value, bool onlyIfMissing)
    {
        var name = new YamlScalarNode(key);
        if (onlyIfMissing && root.Children.ContainsKey(name)) return;
        root.Children[name] = new YamlScalarNode(value);
    }

    /// <summary>Sets <c>{name, field: value}</c> in the list <paramref name="list"/>: the entry of that name keeps its other fields, its <paramref name="field"/> is replaced.</summary>
    private static void Upsert(YamlMappingNode root, string list, string name, string field, YamlMappingNode value)
    {
        var key = new YamlScalarNode(list);
        if (!root.Children.TryGetValue(key, out var node) || node is not YamlSequenceNode sequence)
        {
            if (node is YamlScalarNode { Value: not (null or "" or "null" or "~") } || node is YamlMappingNode)
                throw new OpsException("KubeconfigInvalid", OpsErrorCategory.InvalidData, $"The kubeconfig's '{list}' is not a list; it was left as it is.", list, isFatal: true);
            sequence = new YamlSequenceNode();
            root.Children[key] = sequence;
        }
        var existing = sequence.Children.OfType<YamlMappingNode>()
            .FirstOrDefault(m => m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: var v } && v == name);
        if (existing is null)
        {
            sequence.Add(new YamlMappingNode { { "name", name }, { field, value } });
            return;
        }
        existing.Children[new YamlScalarNode(field)] = value;
    }
}
