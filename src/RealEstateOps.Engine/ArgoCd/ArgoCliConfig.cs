using RealEstateOps.Engine.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>
/// The argocd CLI's config file (util/localconfig: current-context, contexts[]{name, server, user},
/// servers[]{server, insecure, plain-text, grpc-web-root-path}, users[]{name, auth-token}), read only.
/// </summary>
public sealed class ArgoCliConfig
{
    private ArgoCliConfig(string path) => Path = path;

    public string Path { get; }
    public string? CurrentContext { get; private init; }
    public string? Server { get; private init; }
    public bool Insecure { get; private init; }
    public bool PlainText { get; private init; }
    public string? RootPath { get; private init; }
    public string? UserName { get; private init; }
    internal string? Token { get; private init; }

    /// <summary>
    /// The directory the argocd CLI reads (localconfig.DefaultConfigDir): $ARGOCD_CONFIG_DIR, else ~/.argocd when it
    /// exists (the legacy place), else $XDG_CONFIG_HOME/argocd, else ~/.config/argocd.
    /// </summary>
    public static string? DefaultDirectory(Func<string, string?> environment, string? home)
    {
        if (environment(ArgoTarget.ConfigDirVariable) is { Length: > 0 } dir) return dir;
        if (string.IsNullOrEmpty(home)) return null;
        var legacy = System.IO.Path.Combine(home, ".argocd");
        if (Directory.Exists(legacy)) return legacy;
        if (environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg) return System.IO.Path.Combine(xdg, "argocd");
        return System.IO.Path.Combine(home, ".config", "argocd");
    }

    /// <summary>The config file's current context resolved to its server and user; null when there is no file.</summary>
    public static ArgoCliConfig? Load(string path)
    {
        if (!File.Exists(path)) return null;
        YamlMappingNode root;
        try
        {
            using var reader = new StreamReader(path);
            var stream = new YamlStream();
            stream.Load(reader);
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? throw Invalid(path, "it is not a YAML mapping");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OpsException("ArgoCdConfigUnreadable", OpsErrorCategory.ReadError, $"The argocd CLI config file '{path}' could not be read: {ex.Message}", path, isFatal: true);
        }
        catch (YamlException ex)
        {
            throw Invalid(path, $"it is not valid YAML (line {ex.Start.Line})");
        }

        var current = Scalar(root, "current-context");
        if (string.IsNullOrEmpty(current)) return new ArgoCliConfig(path);
        var context = Items(root, "contexts").FirstOrDefault(c => Scalar(c, "name") == current)
                      ?? throw Invalid(path, $"its current-context '{current}' is not among its contexts");
        var serverName = Scalar(context, "server");
        var userName = Scalar(context, "user");
        var server = Items(root, "servers").FirstOrDefault(s => Scalar(s, "server") == serverName);
        var user = Items(root, "users").FirstOrDefault(u => Scalar(u, "name") == userName);
        return new ArgoCliConfig(path)
        {
            CurrentContext = current,
            Server = serverName,
            Insecure = server is not null && Scalar(server, "insecure") is "true" or "True",
            PlainText = server is not null && Scalar(server, "plain-text") is "true" or "True",
            RootPath = server is null ? null : Scalar(server, "grpc-web-root-path"),
            UserName = userName,
            Token = user is null ? null : Scalar(user, "auth-token"),
        };
    }

    private static OpsException Invalid(string path, string why) =>
        new("ArgoCdConfigInvalid", OpsErrorCategory.InvalidData, $"The argocd CLI config file '{path}' cannot be used: {why}.", path, isFatal: true);

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : Enumerable.Empty<YamlMappingNode>();
}
