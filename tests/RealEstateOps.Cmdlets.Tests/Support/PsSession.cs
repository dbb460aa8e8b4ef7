using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RealEstateOps.Cmdlets.Tests.Support;

/// <summary>
/// A PowerShell session hosted in-process with the module imported, and folders of its own for
/// contexts, the journal and sandbox state (set through the module's environment variables).
/// </summary>
public sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;
    private readonly Dictionary<string, string?> _savedEnv = new();

    public PsSession()
    {
        Home = Path.Combine(Path.GetTempPath(), "reo-ps-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Home);
        SetEnv("REALESTATEOPS_CONFIG_HOME", Path.Combine(Home, "config"));
        SetEnv("REALESTATEOPS_DATA_HOME", Path.Combine(Home, "data"));
        SetEnv("REALESTATEOPS_STATE_HOME", Path.Combine(Home, "state"));
        SetEnv("REALESTATEOPS_CONTEXT", null);
        SetEnv("REALESTATEOPS_JOURNAL", null);
        SetEnv("REALESTATEOPS_CORRELATION_ID", null);
        SetEnv("REALESTATEOPS_SANDBOX_DLL", Path.Combine(AppContext.BaseDirectory, "RealEstateOps.Sandbox.dll"));

        var iss = InitialSessionState.CreateDefault2();
        iss.ImportPSModule(typeof(RealEstateOps.Commands.OpsCommandBase).Assembly.Location);
        _runspace = RunspaceFactory.CreateRunspace(iss);
        _runspace.Open();
    }

    public string Home { get; }
    public string JournalFile => Path.Combine(Home, "data", "journal.jsonl");
    public string ContextsFolder => Path.Combine(Home, "config", "contexts");

    public void SetEnv(string name, string? value)
    {
        if (!_savedEnv.ContainsKey(name)) _savedEnv[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public sealed record Result(Collection<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, IReadOnlyList<string> Warnings, IReadOnlyList<string> Verbose, Exception? Terminating)
    {
        public IEnumerable<T> Objects<T>() => Output.Select(o => o.BaseObject).OfType<T>();
        public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]);
    }

    /// <summary>Runs a script; terminating errors are captured, not thrown.</summary>
    public Result Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var ps = PowerShell.Create(_runspace);
        if (variables is not null)
            foreach (var (k, v) in variables) _runspace.SessionStateProxy.SetVariable(k, v);
        ps.AddScript(script);
        Collection<PSObject> output = new();
        Exception? terminating = null;
        try { output = ps.Invoke(); }
        catch (RuntimeException ex) { terminating = ex; }
        return new Result(output, ps.Streams.Error.ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Verbose.Select(v => v.Message).ToList(), terminating);
    }

    /// <summary>Starts a script without waiting, for cancellation tests.</summary>
    public PowerShell Begin(string script, out IAsyncResult handle)
    {
        var ps = PowerShell.Create(_runspace);
        ps.AddScript(script);
        handle = ps.BeginInvoke();
        return ps;
    }

    public void Dispose()
    {
        _runspace.Dispose();
        foreach (var (k, v) in _savedEnv) Environment.SetEnvironmentVariable(k, v);
        try { Directory.Delete(Home, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
