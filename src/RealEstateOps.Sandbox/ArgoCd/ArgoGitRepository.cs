using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Sandbox.ArgoCd;

/// <summary>What a commit says of itself: Argo CD's RevisionMetadata (author, date, tags pointing at it, message).</summary>
public sealed record ArgoRevisionMetadata(string Author, DateTimeOffset Date, IReadOnlyList<string> Tags, string Message);

/// <summary>One manifest file of a commit, parsed (JSON documents: a single object, or a List of them).</summary>
public sealed record ArgoManifest(string File, JsonObject Object);

/// <summary>A git failure the API reports (an unknown revision, a manifest that does not parse).</summary>
public sealed class ArgoGitException : Exception
{
    public ArgoGitException(string message) : base(message) { }
}

/// <summary>
/// The platform's manifests in a real bare git repository (platform-manifests.git in the sandbox's state folder), driven by
/// the git program: created at the first start with the releases v1.0.0 and v1.1.0 (the one the Kubernetes sandbox seeds)
/// committed through a scratch clone and tagged, branch main at v1.1.0. git runs with an environment of its own
/// (GIT_CONFIG_NOSYSTEM, HOME in the state folder, author and committer set there): the user's configuration is never read
/// or touched. Clients push new releases to it as to any remote (clone, commit, tag, push).
/// </summary>
public sealed class ArgoGitRepository
{
    public const string FolderName = "platform-manifests.git";
    public const string ManifestPath = "k8s";
    private readonly string _stateDir;
    private readonly Dictionary<string, IReadOnlyList<ArgoManifest>> _manifests = new(StringComparer.Ordinal);

    public ArgoGitRepository(string stateDir)
    {
        _stateDir = Path.GetFullPath(stateDir);
        Folder = Path.Combine(_stateDir, FolderName);
    }

    /// <summary>The bare repository's folder: the application's repoURL.</summary>
    public string Folder { get; }

    private Dictionary<string, string?> Environment(DateTimeOffset? date = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["HOME"] = _stateDir, ["XDG_CONFIG_HOME"] = _stateDir,
            ["GIT_TERMINAL_PROMPT"] = "0", ["LC_ALL"] = "C",
            ["GIT_AUTHOR_NAME"] = "Platform Release Bot", ["GIT_AUTHOR_EMAIL"] = "releases@real-estate-ai.example",
            ["GIT_COMMITTER_NAME"] = "Platform Release Bot", ["GIT_COMMITTER_EMAIL"] = "releases@real-estate-ai.example",
        };
        if (date is { } d)
        {
            var s = d.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + " +0000";
            env["GIT_AUTHOR_DATE"] = s;
            env["GIT_COMMITTER_DATE"] = s;
        }
        return env;
    }

    /// <summary>How long one git command may run: a git that hangs (a lock, a prompt) fails the request instead of holding it.</summary>
    public static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(60);

    private async Task<string> GitAsync(IEnumerable<string> args, string? workDir = null, DateTimeOffset? date = null, CancellationToken ct = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(GitTimeout);
        ProcessResult result;
        try
        {
            // ProcessRunner kills only the git it started (and its children) when the limit passes.
            result = await ProcessRunner.RunAsync("git", args, Environment(date), workDir ?? _stateDir, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ArgoGitException($"git {args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('/'))} did not finish within {GitTimeout.TotalSeconds:0} s and was stopped.");
        }
        if (result.ExitCode != 0) throw new ArgoGitException(result.StdErr.Trim() is { Length: > 0 } e ? e : $"git exited with {result.ExitCode}");
        return result.StdOut;
    }

    private Task<string> BareAsync(CancellationToken ct, params string[] args) => GitAsync(new[] { "--git-dir", Folder }.Concat(args), ct: ct);

    /// <summary>
    /// Creates the repository with its releases (each a map of file name to manifest, committed at its date and tagged), main at
    /// the last; keeps a repository a previous start left (with what was pushed to it since).
    /// </summary>
    public async Task EnsureAsync(IReadOnlyList<(string Tag, DateTimeOffset Date, IReadOnlyDictionary<string, JsonObject> Files)> releases, CancellationToken ct)
    {
        if (Directory.Exists(Path.Combine(Folder, "refs"))) return;
        await GitAsync(new[] { "init", "--quiet", "--bare", "--initial-branch=main", Folder }, ct: ct).ConfigureAwait(false);
        var scratch = Path.Combine(_stateDir, "argocd-scratch-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());
        UnixFiles.CreateNewPrivateFolder(scratch, "ArgoScratchFolderExists");
        try
        {
            await GitAsync(new[] { "clone", "--quiet", Folder, scratch }, ct: ct).ConfigureAwait(false);
            var k8s = Path.Combine(scratch, ManifestPath);
            Directory.CreateDirectory(k8s);
            foreach (var (tag, date, files) in releases)
            {
                foreach (var (name, obj) in files)
                    await File.WriteAllTextAsync(Path.Combine(k8s, name), obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", ct).ConfigureAwait(false);
                await GitAsync(new[] { "add", "-A" }, scratch, date, ct).ConfigureAwait(false);
                await GitAsync(new[] { "commit", "--quiet", "-m", $"Release {tag}" }, scratch, date, ct).ConfigureAwait(false);
                await GitAsync(new[] { "tag", "-a", tag, "-m", $"Release {tag}" }, scratch, date, ct).ConfigureAwait(false);
            }
            await GitAsync(new[] { "push", "--quiet", "origin", "main", "--tags" }, scratch, ct: ct).ConfigureAwait(false);
        }
        finally
        {
            // Only the folder made above (fresh name, under the state folder), never a path from elsewhere.
            if (Path.GetDirectoryName(scratch) == _stateDir && Path.GetFileName(scratch).StartsWith("argocd-scratch-", StringComparison.Ordinal) && Directory.Exists(scratch))
                Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The commit a revision (branch, tag, HEAD or a commit id) names now; ArgoGitException when it names none.</summary>
    public async Task<string> ResolveAsync(string revision, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(revision)) revision = "HEAD";
        if (revision.StartsWith('-')) throw new ArgoGitException($"unable to resolve '{revision}' to a commit SHA");
        try
        {
            return (await BareAsync(ct, "rev-parse", "--verify", "--quiet", revision + "^{commit}").ConfigureAwait(false)).Trim();
        }
        catch (ArgoGitException)
        {
            throw new ArgoGitException($"unable to resolve '{revision}' to a commit SHA");
        }
    }

    /// <summary>The manifests under <paramref name="path"/> at a commit (cached: a commit never changes).</summary>
    public async Task<IReadOnlyList<ArgoManifest>> ManifestsAsync(string sha, string path, CancellationToken ct = default)
    {
        var key = sha + ":" + path;
        lock (_manifests) if (_manifests.TryGetValue(key, out var cached)) return cached;
        var files = (await BareAsync(ct, "ls-tree", "-r", "--name-only", sha, "--", path.TrimEnd('/') + "/").ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        var list = new List<ArgoManifest>();
        foreach (var file in files)
        {
            var text = await BareAsync(ct, "show", sha + ":" + file).ConfigureAwait(false);
            JsonNode? node;
            try { node = JsonNode.Parse(text); }
            catch (JsonException ex) { throw new ArgoGitException($"Failed to unmarshal \"{Path.GetFileName(file)}\": {ex.Message}"); }
            if (node is JsonObject o && (string?)o["kind"] == "List" && o["items"] is JsonArray items)
                list.AddRange(items.OfType<JsonObject>().Select(i => new ArgoManifest(file, (JsonObject)i.DeepClone())));
            else if (node is JsonObject obj && obj["kind"] is not null && obj["metadata"]?["name"] is not null) list.Add(new ArgoManifest(file, obj));
            else throw new ArgoGitException($"Failed to unmarshal \"{Path.GetFileName(file)}\": Object 'Kind' is missing");
        }
        lock (_manifests) _manifests[key] = list;
        return list;
    }

    /// <summary>Author, date, message and the tags pointing at a commit (what `git tag --points-at` lists, as the repo-server reads them).</summary>
    public async Task<ArgoRevisionMetadata> MetadataAsync(string revision, CancellationToken ct = default)
    {
        var sha = await ResolveAsync(revision, ct).ConfigureAwait(false);
        var show = await BareAsync(ct, "show", "-s", "--format=%an <%ae>%x00%at%x00%B", sha).ConfigureAwait(false);
        var parts = show.Split('\0');
        var tags = (await BareAsync(ct, "tag", "--points-at", sha).ConfigureAwait(false))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return new ArgoRevisionMetadata(parts[0], DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[1].Trim(), CultureInfo.InvariantCulture)), tags, parts.Length > 2 ? parts[2].TrimEnd('\n') : "");
    }
}
