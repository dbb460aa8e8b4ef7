using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox;

public sealed class SandboxOptions
{
    /// <summary>Environment variable holding an admin connection string to an existing PostgreSQL server (kept out of argv).</summary>
    public const string PostgresEnvironmentVariable = "REALESTATEOPS_SANDBOX_PG";

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }
    /// <summary>TCP port on 127.0.0.1 of the TLS listener (the Kubernetes API for kubectl); 0 picks a free one.</summary>
    public int TlsPort { get; set; }
    /// <summary>Clock speed factor for state transitions: 10 makes a 10-minute snapshot take one minute.</summary>
    public double Speed { get; set; } = 1;
    /// <summary>Share of requests to emulated services that fail with throttling or 5xx, from 0 to 1.</summary>
    public double FaultRate { get; set; }
    /// <summary>
    /// Folder for the sandbox's own files (the password file, the record of its PostgreSQL): made 0700, and refused when
    /// it exists but is not this user's folder. By default a new folder under a random name in the temp folder
    /// (a fixed name there could be made beforehand by another user).
    /// </summary>
    public string StateDir { get; set; } = Path.Combine(Path.GetTempPath(),
        "realestateops-sandbox-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)).ToLowerInvariant());
    /// <summary>
    /// Where the program describes the started sandbox for its clients (/_sandbox/info's answer, naming the files that hold
    /// the secrets): by default sandbox-info.json in <see cref="StateDir"/>.
    /// </summary>
    public string? InfoFile { get; set; }
    public string InfoFilePath => InfoFile ?? Path.Combine(StateDir, "sandbox-info.json");
    /// <summary>Admin connection string of a PostgreSQL server to use; when null the sandbox starts its own.</summary>
    public string? PostgresConnectionString { get; set; }
    public string DatabaseName { get; set; } = "real_estate_ai";
    public string AppUser { get; set; } = "real_estate_app";
    /// <summary>The incident store's database and role; default 'ops' on the sandbox's own server, '&lt;DatabaseName&gt;_ops' and '&lt;AppUser&gt;_ops' on a server it is pointed at.</summary>
    public string? IncidentDatabaseName { get; set; }
    public string? IncidentUser { get; set; }
    /// <summary>
    /// The control token, Kubernetes tokens and AWS keys this sandbox accepts, random for each start: the program
    /// hands them to its clients in 0600 files in <see cref="StateDir"/> (<see cref="SandboxClientFiles"/>).
    /// </summary>
    public SandboxSecrets Secrets { get; set; } = SandboxSecrets.Generate();
    /// <summary>
    /// Run the real Prometheus and Alertmanager next to the sandbox (<see cref="Monitoring.MonitoringStack"/>). The program
    /// does unless started with --no-monitoring; a sandbox hosted in-process (tests) only when asked.
    /// </summary>
    public bool Monitoring { get; set; }
    /// <summary>The Prometheus server program (Debian's package installs it here).</summary>
    public string PrometheusProgram { get; set; } = "/usr/bin/prometheus";
    /// <summary>Prometheus' rule checker, the PrometheusRule validator (without it only the rules' shape is checked).</summary>
    public string PromtoolProgram { get; set; } = "/usr/bin/promtool";
    /// <summary>The Alertmanager program (Debian's prometheus-alertmanager package).</summary>
    public string AlertmanagerProgram { get; set; } = "/usr/bin/prometheus-alertmanager";
    /// <summary>Services added by the host program (tests add their own probes here).</summary>
    public List<ISandboxService> ExtraServices { get; } = new();

    public static SandboxOptions Parse(IReadOnlyList<string> args, Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var o = new SandboxOptions { PostgresConnectionString = env(PostgresEnvironmentVariable), Monitoring = true };
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--port": o.Port = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--tls-port": o.TlsPort = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--speed": o.Speed = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--fault-rate": o.FaultRate = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--state-dir": o.StateDir = Next(); break;
                case "--info-file": o.InfoFile = Next(); break;
                case "--database": o.DatabaseName = Next(); break;
                case "--app-user": o.AppUser = Next(); break;
                case "--no-monitoring": o.Monitoring = false; break;
                case "--prometheus": o.PrometheusProgram = Next(); break;
                case "--promtool": o.PromtoolProgram = Next(); break;
                case "--alertmanager": o.AlertmanagerProgram = Next(); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        o.Validate();
        return o;
    }

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port {Port} is not a port number.");
        if (TlsPort is < 0 or > 65535) throw new ArgumentException($"--tls-port {TlsPort} is not a port number.");
        if (!Engine.Sandbox.SandboxSpeed.IsValid(Speed)) throw new ArgumentException($"--speed {Speed} must be greater than 0 and at most {Engine.Sandbox.SandboxSpeed.Max}.");
        if (FaultRate is < 0 or > 1 || double.IsNaN(FaultRate)) throw new ArgumentException($"--fault-rate {FaultRate} must be between 0 and 1.");
    }
}
