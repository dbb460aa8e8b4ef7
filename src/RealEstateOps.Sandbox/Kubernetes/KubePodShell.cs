using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Sandbox.Kubernetes;

/// <summary>What an emulated command printed and how it ended.</summary>
public sealed record KubeExecOutcome(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// The commands a sandbox pod answers to through exec. The pods are emulated, so nothing the client sends ever runs
/// on the host: an allow-list is emulated, with the container's environment resolved as the kubelet would
/// (value, secretKeyRef, configMapKeyRef, envFrom). pg_isready is the one real program, and it only ever reaches the
/// sandbox's own PostgreSQL: the pod's DB host (the db-credentials secret's host, the RDS endpoint's name, or the
/// sandbox server's own address) maps to that server; any other host gets "no response" without a packet sent.
/// Variables whose names are secret names (DB_PASSWORD, API_KEY, ...) read as a mask: the sandbox never prints a password.
/// Supported: pg_isready [-h] [-p] [-U] [-d] [-t] [-q], env, printenv [NAME...], hostname, cat /etc/hostname, echo [-n],
/// true, false, sleep N, exit N, and sh -c '&lt;one of these&gt;' with $VAR/${VAR} expansion; anything else: 127, not found.
/// </summary>
public sealed class KubePodShell
{
    private static readonly string[] BinDirs = { "/usr/local/sbin/", "/usr/local/bin/", "/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/" };
    public const string PathValue = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly string _podName;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _env;
    private readonly Func<string, bool> _isDbHost;
    private readonly (string Host, int Port)? _database;
    private readonly string? _pgIsReady;

    /// <param name="podName">The pod (its hostname).</param>
    /// <param name="env">The container's environment, in order.</param>
    /// <param name="isDbHost">Whether a host name stands for the platform database.</param>
    /// <param name="database">The sandbox's PostgreSQL server (null: none, pg_isready gets no response).</param>
    /// <param name="pgIsReady">The real pg_isready program (null: not installed on the sandbox's host).</param>
    public KubePodShell(string podName, IReadOnlyList<KeyValuePair<string, string>> env, Func<string, bool> isDbHost, (string Host, int Port)? database, string? pgIsReady)
    {
        _podName = podName;
        _env = env;
        _isDbHost = isDbHost;
        _database = database;
        _pgIsReady = pgIsReady;
    }

    /// <summary>The container's environment as the kubelet sets it: HOSTNAME and PATH, then the spec's env and envFrom, resolved from the store.</summary>
    public static List<KeyValuePair<string, string>> Environment(KubeStore store, JsonObject pod, JsonObject container)
    {
        var ns = KubeStore.NamespaceOf(pod);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = PathValue, ["HOSTNAME"] = KubeStore.NameOf(pod), ["HOME"] = "/root",
            ["KUBERNETES_SERVICE_HOST"] = "172.20.0.1", ["KUBERNETES_SERVICE_PORT"] = "443",
        };
        string? Lookup(KubeResource r, string? name, string? key)
        {
            if (name is null || key is null) return null;
            var obj = store.Get(r, ns, name);
            if (obj is null) return null;
            if (r == KubeResources.Secrets)
            {
                if ((string?)obj["data"]?[key] is { } b64) return Encoding.UTF8.GetString(Convert.FromBase64String(b64));
                return (string?)obj["stringData"]?[key];
            }
            return (string?)obj["data"]?[key];
        }
        foreach (var from in (container["envFrom"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
        {
            var prefix = (string?)from["prefix"] ?? "";
            var (r, name) = from["secretRef"] is { } s ? (KubeResources.Secrets, (string?)s["name"]) : (KubeResources.ConfigMaps, (string?)from["configMapRef"]?["name"]);
            if (name is null || store.Get(r, ns, name) is not { } obj) continue;
            foreach (var key in ((obj["data"] as JsonObject)?.Select(kv => kv.Key) ?? Enumerable.Empty<string>()).Concat((obj["stringData"] as JsonObject)?.Select(kv => kv.Key) ?? Enumerable.Empty<string>()))
                if (Lookup(r, name, key) is { } v) env[prefix + key] = v;
        }
        foreach (var e in (container["env"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
        {
            var name = (string?)e["name"];
            if (name is null) continue;
            var value = (string?)e["value"]
                        ?? Lookup(KubeResources.Secrets, (string?)e["valueFrom"]?["secretKeyRef"]?["name"], (string?)e["valueFrom"]?["secretKeyRef"]?["key"])
                        ?? Lookup(KubeResources.ConfigMaps, (string?)e["valueFrom"]?["configMapKeyRef"]?["name"], (string?)e["valueFrom"]?["configMapKeyRef"]?["key"]);
            if (value is not null) env[name] = value;
        }
        return env.ToList();
    }

    public async Task<KubeExecOutcome> RunAsync(IReadOnlyList<string> argv, CancellationToken ct)
    {
        if (argv.Count == 0) return new KubeExecOutcome(126, "", "exec: no command given\n");
        var program = Program(argv[0]);
        var args = argv.Skip(1).ToList();
        if (program is "sh" or "bash" or "ash" or "dash")
        {
            if (args.Count >= 2 && args[0] == "-c") return await ScriptAsync(program, args[1], ct);
            return new KubeExecOutcome(2, "", $"{program}: the sandbox's pods run scripts only as {program} -c '<command>' (no interactive shell)\n");
        }
        return await CommandAsync(program, args, ct, inShell: null);
    }

    private static string Program(string name)
    {
        foreach (var dir in BinDirs)
            if (name.StartsWith(dir, StringComparison.Ordinal) && name.Length > dir.Length && !name[dir.Length..].Contains('/')) return name[dir.Length..];
        return name;
    }

    private string Value(string name) =>
        _env.FirstOrDefault(kv => kv.Key == name) is { Key: not null } kv ? (Redaction.IsSecretName(name) ? Redaction.Mask : kv.Value) : "";

    private bool Has(string name) => _env.Any(kv => kv.Key == name);

    private async Task<KubeExecOutcome> ScriptAsync(string shell, string script, CancellationToken ct)
    {
        List<string> words;
        try { words = Words(script); }
        catch (FormatException ex) { return new KubeExecOutcome(2, "", $"{shell}: 1: {ex.Message}\n"); }
        if (words.Count == 0) return new KubeExecOutcome(0, "", "");
        return await CommandAsync(Program(words[0]), words.Skip(1).ToList(), ct, inShell: shell);
    }

    /// <summary>A one-command script's words: quotes ('...' literal, "..." with expansion), $VAR and ${VAR}; operators are refused.</summary>
    internal List<string> Words(string script)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
                continue;
            }
            inWord = true;
            switch (c)
            {
                case '\'':
                {
                    var end = script.IndexOf('\'', i + 1);
                    if (end < 0) throw new FormatException("Syntax error: Unterminated quoted string");
                    current.Append(script, i + 1, end - i - 1);
                    i = end;
                    break;
                }
                case '"':
                {
                    var j = i + 1;
                    for (; j < script.Length && script[j] != '"'; j++)
                    {
                        if (script[j] == '\\' && j + 1 < script.Length && script[j + 1] is '"' or '\\' or '$') { current.Append(script[++j]); continue; }
                        if (script[j] == '$') { j = Expand(script, j, current) - 1; continue; }
                        current.Append(script[j]);
                    }
                    if (j >= script.Length) throw new FormatException("Syntax error: Unterminated quoted string");
                    i = j;
                    break;
                }
                case '$':
                    i = Expand(script, i, current) - 1;
                    break;
                case '\\' when i + 1 < script.Length:
                    current.Append(script[++i]);
                    break;
                case ';' or '|' or '&' or '<' or '>' or '`' or '(' or ')':
                    throw new FormatException($"Syntax error: \"{c}\" is not supported by the sandbox's emulated shell (one command per exec)");
                default:
                    current.Append(c);
                    break;
            }
        }
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>Expands $NAME or ${NAME} at <paramref name="i"/>; returns the index after it.</summary>
    private int Expand(string s, int i, StringBuilder into)
    {
        if (i + 1 < s.Length && s[i + 1] == '{')
        {
            var end = s.IndexOf('}', i + 2);
            if (end < 0) throw new FormatException("Syntax error: Missing '}'");
            into.Append(Value(s[(i + 2)..end]));
            return end + 1;
        }
        var j = i + 1;
        while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] == '_')) j++;
        if (j == i + 1)
        {
            if (j < s.Length && s[j] == '(') throw new FormatException("Syntax error: \"$(\" is not supported by the sandbox's emulated shell");
            into.Append('$');
            return j;
        }
        into.Append(Value(s[(i + 1)..j]));
        return j;
    }

    private async Task<KubeExecOutcome> CommandAsync(string program, List<string> args, CancellationToken ct, string? inShell)
    {
        switch (program)
        {
            case "true": return new KubeExecOutcome(0, "", "");
            case "false": return new KubeExecOutcome(1, "", "");
            case "exit" when inShell is not null:
                return args.Count == 0 ? new KubeExecOutcome(0, "", "")
                    : int.TryParse(args[0], out var code) ? new KubeExecOutcome(code & 0xFF, "", "")
                    : new KubeExecOutcome(2, "", $"{inShell}: 1: exit: Illegal number: {args[0]}\n");
            case "echo":
            {
                var newline = !(args.Count > 0 && args[0] == "-n");
                var text = string.Join(' ', newline ? args : args.Skip(1));
                return new KubeExecOutcome(0, newline ? text + "\n" : text, "");
            }
            case "hostname": return new KubeExecOutcome(0, _podName + "\n", "");
            case "sleep":
            {
                // Real time, at most five minutes; ends early when the client goes away (the request is aborted).
                if (args.Count != 1 || !double.TryParse(args[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
                    return new KubeExecOutcome(1, "", $"sleep: invalid time interval '{string.Join(' ', args)}'\n");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, 300)), ct);
                return new KubeExecOutcome(0, "", "");
            }
            case "cat":
            {
                var output = new StringBuilder();
                var errors = new StringBuilder();
                foreach (var file in args)
                {
                    if (file == "/etc/hostname") output.Append(_podName).Append('\n');
                    else errors.Append($"cat: {file}: No such file or directory\n");
                }
                return new KubeExecOutcome(errors.Length > 0 ? 1 : 0, output.ToString(), errors.ToString());
            }
            case "env" when args.Count == 0:
            case "printenv" when args.Count == 0:
                return new KubeExecOutcome(0, string.Concat(_env.Select(kv => $"{kv.Key}={Value(kv.Key)}\n")), "");
            case "printenv":
            {
                var output = new StringBuilder();
                var missing = false;
                foreach (var name in args)
                {
                    if (Has(name)) output.Append(Value(name)).Append('\n');
                    else missing = true;
                }
                return new KubeExecOutcome(missing ? 1 : 0, output.ToString(), "");
            }
            case "pg_isready": return await PgIsReadyAsync(args, ct);
            default:
                return inShell is not null
                    ? new KubeExecOutcome(127, "", $"{inShell}: 1: {program}: not found\n")
                    : new KubeExecOutcome(127, "", $"exec: \"{program}\": executable file not found in $PATH: command not found\n");
        }
    }

    /// <summary>
    /// pg_isready against the sandbox's server, with pg_isready's own answers: "host:port - accepting connections" (0),
    /// "rejecting connections" (1), "no response" (2), "no attempt made" (3). Its host and port as the command named them.
    /// </summary>
    private async Task<KubeExecOutcome> PgIsReadyAsync(List<string> args, CancellationToken ct)
    {
        string? host = Has("PGHOST") ? Value("PGHOST") : null;
        var portText = Has("PGPORT") ? Value("PGPORT") : "5432";
        var quiet = false;
        var timeout = 3;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string? Next(string option)
            {
                if (a.Length > 2 && a.StartsWith(option[..2], StringComparison.Ordinal) && option.Length == 2) return a[2..];
                if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=')) return a[(a.IndexOf('=') + 1)..];
                return i + 1 < args.Count ? args[++i] : null;
            }
            switch (a)
            {
                case "-q" or "--quiet": quiet = true; break;
                case var _ when a.StartsWith("-h", StringComparison.Ordinal) || a.StartsWith("--host", StringComparison.Ordinal): host = Next("-h"); break;
                case var _ when a.StartsWith("-p", StringComparison.Ordinal) || a.StartsWith("--port", StringComparison.Ordinal): portText = Next("-p") ?? ""; break;
                case var _ when a.StartsWith("-t", StringComparison.Ordinal) || a.StartsWith("--timeout", StringComparison.Ordinal):
                    timeout = int.TryParse(Next("-t"), out var t) ? Math.Clamp(t == 0 ? 10 : t, 1, 10) : 3; break;
                // The user and database name change nothing in pg_isready's answer; they are never passed on (a -d conninfo could name another host).
                case var _ when a.StartsWith("-U", StringComparison.Ordinal) || a.StartsWith("--username", StringComparison.Ordinal) ||
                                a.StartsWith("-d", StringComparison.Ordinal) || a.StartsWith("--dbname", StringComparison.Ordinal):
                    if (a is "-U" or "-d" or "--username" or "--dbname") i++;
                    break;
                default:
                    return new KubeExecOutcome(3, "", $"pg_isready: error: unrecognized option: {a}\npg_isready: hint: Try \"pg_isready --help\" for more information.\n");
            }
        }
        if (host is null) return Answer("/var/run/postgresql", portText, "no response", 2, quiet);
        if (!int.TryParse(portText, out var port) || port is < 1 or > 65535)
            return new KubeExecOutcome(3, "", $"pg_isready: error: invalid port number: \"{portText}\"\n");
        if (_database is not { } db || _pgIsReady is null || !_isDbHost(host) || (port != 5432 && port != db.Port))
            return Answer(host, portText, "no response", 2, quiet);

        var psi = new ProcessStartInfo(_pgIsReady) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-h", db.Host, "-p", db.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", timeout.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException) { try { process.Kill(); } catch (InvalidOperationException) { } throw; }
        var text = (await stdout).Replace($"{db.Host}:{db.Port}", $"{host}:{portText}", StringComparison.Ordinal);
        var exit = process.ExitCode;
        return new KubeExecOutcome(exit, quiet ? "" : text, await stderr);
    }

    private static KubeExecOutcome Answer(string host, string port, string what, int exit, bool quiet) =>
        new(exit, quiet ? "" : $"{host}:{port} - {what}\n", "");
}
