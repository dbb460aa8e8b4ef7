namespace RealEstateOps.Engine.Sandbox;

/// <summary>A running sandbox, as Start-OpsSandbox and Get-OpsSandbox report it.</summary>
public sealed class SandboxInstance
{
    public string Url { get; set; } = "";
    public int Port { get; set; }
    public int ProcessId { get; set; }
    /// <summary>When that process started (/proc/&lt;pid&gt;/stat's start time): Stop-OpsSandbox kills it only while this matches.</summary>
    public long? ProcessStartTicks { get; set; }
    /// <summary>The sandbox program the process runs, as its command line names it.</summary>
    public string? SandboxAssembly { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>The clock's speed factor: as set at the start in the record; Get-OpsSandbox reads the speed in effect from the sandbox.</summary>
    public double Speed { get; set; }
    public double FaultRate { get; set; }
    public string StateFolder { get; set; } = "";
    public string LogFile { get; set; } = "";
    public string ContextName { get; set; } = SandboxLauncher.ContextName;
    public string? KubeconfigPath { get; set; }
    /// <summary>
    /// The file (0600) holding the control token the sandbox's /_sandbox/... endpoints require, random for each
    /// start: send it as 'Authorization: Bearer TOKEN' or 'X-Sandbox-Token: TOKEN'.
    /// </summary>
    public string? ControlTokenFile { get; set; }
    public string DbHost { get; set; } = "";
    public int DbPort { get; set; }
    public string DbName { get; set; } = "";
    public string DbUser { get; set; } = "";
    public string DbPassFile { get; set; } = "";
    public bool PgVector { get; set; }
    /// <summary>The emulated services the sandbox published at its start (s3, kubernetes, rds): the values Set-OpsSandboxFault -Service takes.</summary>
    public string[] Services { get; set; } = Array.Empty<string>();
    /// <summary>The sandbox's Prometheus (its HTTP API and UI), null when monitoring is off.</summary>
    public string? PrometheusUrl { get; set; }
    /// <summary>The sandbox's Alertmanager, null when monitoring is off.</summary>
    public string? AlertmanagerUrl { get; set; }
    /// <summary>Where monitoring runs, or why it is off (not installed, -NoMonitoring, did not start).</summary>
    public string? MonitoringMessage { get; set; }
    /// <summary>The platform services whose synthetic traffic the metrics follow: fault targets next to <see cref="Services"/>.</summary>
    public string[] PlatformServices { get; set; } = Array.Empty<string>();
    /// <summary>Filled by Get-OpsSandbox: requests served per service since start or the last reset.</summary>
    public IReadOnlyDictionary<string, long>? RequestCounts { get; set; }
    public bool Responding { get; set; }
}
