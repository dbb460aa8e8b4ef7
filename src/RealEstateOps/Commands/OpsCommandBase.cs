using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Commands;

/// <summary>
/// Base of every cmdlet. Owns the async bridge (engine work runs off the pipeline thread; output,
/// errors, progress and verbose messages are marshalled back to it), the cancellation token that
/// StopProcessing (Ctrl+C) cancels, error records with specific ids, ShouldProcess with -Force,
/// progress, the active context with provenance, and the journal hook for state changes.
/// IDisposable: PowerShell disposes the cmdlet when its pipeline ends, however it ends (done, a terminating
/// error, Ctrl+C, a downstream Select-Object -First), so the clients a command opened are released there.
/// </summary>
public abstract class OpsCommandBase : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private BlockingCollection<Action>? _queue;
    private int _pipelineThread;
    private ActiveContext? _context;
    private OpsPaths? _paths;
    private System.Management.Automation.Runspaces.Runspace? _runspace;
    private string? _journalContext;

    protected CancellationToken CancellationToken => _cancellation.Token;

    protected OpsPaths Paths => _paths ??= OpsPaths.FromEnvironment();

    protected override void StopProcessing() => _cancellation.Cancel();

    protected sealed override void BeginProcessing()
    {
        _runspace = System.Management.Automation.Runspaces.Runspace.DefaultRunspace;
        SessionId = _runspace?.InstanceId ?? Guid.Empty;
        _pipelineThread = Environment.CurrentManagedThreadId;
        Guard(BeginProcessingCore);
    }

    /// <summary>This PowerShell session (runspace), captured on the pipeline thread.</summary>
    protected Guid SessionId { get; private set; }

    /// <summary>The context this session chose with Use-OpsContext, if any.</summary>
    protected string? SessionContextChoice
    {
        get => OpsSession.ChosenContext(SessionId);
        set => OpsSession.Choose(SessionId, value);
    }
    protected sealed override void ProcessRecord() => Guard(ProcessRecordCore);
    protected sealed override void EndProcessing() => Guard(EndProcessingCore);

    protected virtual void BeginProcessingCore() { }
    protected virtual void ProcessRecordCore() { }
    protected virtual void EndProcessingCore() { }

    private int _disposed;

    /// <summary>Engine work a stop or a failed write left running (cancelled, ending on its own).</summary>
    private Task? _abandoned;

    /// <summary>
    /// Called by PowerShell when the pipeline ends, also after a terminating error or a stop. Work that a stop
    /// left running (cancelled, winding down) may still use the clients: they are released once it has ended.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_abandoned is { IsCompleted: false } pending)
            pending.ContinueWith(_ => ReleaseResources(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        else
            ReleaseResources();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the command opened (clients, connections); runs once, on every way out of the pipeline.</summary>
    protected virtual void ReleaseResources() { }

    /// <summary>Turns engine failures into error records: non-terminating for one item, terminating when nothing can go on.</summary>
    private void Guard(Action body)
    {
        try
        {
            body();
        }
        catch (OpsException ex)
        {
            WriteOpsError(ex);
        }
        catch (OperationCanceledException) when (Stopping || _cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OpsException && !ExceptionSanitizer.IsClean(ex))
        {
            // A client's exception that slipped past the engine's funnels carries its request and response (bodies, tokens):
            // PowerShell would keep it whole in $Error. End with a record that keeps only its type, status and a redacted message.
            ThrowTerminatingError(NewErrorRecord(new OpsException(ex.GetType().Name, OpsErrorCategory.NotSpecified,
                ExceptionSanitizer.RedactMessage(ex.Message), null, ex, isFatal: true)));
        }
    }

    // ---------------------------------------------------------------- async bridge

    /// <summary>Runs engine work off the pipeline thread while this thread writes what it posts.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        if (_queue is not null) throw new InvalidOperationException("Run is not reentrant.");
        var queue = new BlockingCollection<Action>();
        _queue = queue;
        var task = Task.Run(() => work(_cancellation.Token));
        task.ContinueWith(_ => { try { queue.CompleteAdding(); } catch (ObjectDisposedException) { } },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (var action in queue.GetConsumingEnumerable(_cancellation.Token)) action();
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // Ctrl+C (StopProcessing): stop now, even if the work is slow to notice; it ends on its own.
            _abandoned = task;
            Observe(task);
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (!task.IsCompleted || ex is PipelineStoppedException)
        {
            // The pipeline stopped downstream (Select-Object -First) or a write failed: stop the work too.
            _cancellation.Cancel();
            _abandoned = task;
            Observe(task);
            throw;
        }
        finally
        {
            _queue = null;
            if (task.IsCompleted) queue.Dispose();
        }
    }

    private static void Observe(Task task) =>
        task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    protected void Run(Func<CancellationToken, Task> work) =>
        Run<bool>(async ct => { await work(ct).ConfigureAwait(false); return true; });

    /// <summary>Runs an action on the pipeline thread: now when already there, else queued while Run is active.</summary>
    protected void Post(Action action)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread) { action(); return; }
        var queue = _queue;
        if (queue is null) return; // a late callback after the command moved on: the pipeline may not be written from here
        try { queue.Add(action); }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException) { /* the command already ended; nothing left to write to */ }
    }

    protected void Emit(object item) => Post(() => WriteObject(item));
    protected void EmitVerbose(string message) => Post(() => WriteVerbose(message));
    protected void EmitWarning(string message) => Post(() => WriteWarning(message));
    protected void EmitError(OpsException ex) => Post(() => WriteOpsError(ex));

    // ---------------------------------------------------------------- progress

    /// <summary>A progress sink for the engine's waiter: Write-Progress with status and elapsed time.</summary>
    protected IProgress<WaitProgress> WaitProgress(int activityId = 1) => new ProgressSink(this, activityId);

    private sealed class ProgressSink : IProgress<WaitProgress>
    {
        private readonly OpsCommandBase _cmdlet;
        private readonly int _id;
        public ProgressSink(OpsCommandBase cmdlet, int id) { _cmdlet = cmdlet; _id = id; }

        public void Report(WaitProgress p) => _cmdlet.Post(() =>
        {
            var next = p.NextPoll is { } n ? $", next check in {Waiter.Format(n)}" : "";
            var record = new ProgressRecord(_id, p.Activity, $"{p.Status} ({Waiter.Format(p.Elapsed)} elapsed of {Waiter.Format(p.Timeout)}{next})");
            if (p.PercentComplete is { } pct) record.PercentComplete = Math.Clamp(pct, 0, 100);
            if (p.Completed) record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(record);
        });
    }

    protected void WriteProgressStep(int id, string activity, string status, int? percent = null, bool completed = false)
    {
        var record = new ProgressRecord(id, activity, status);
        if (percent is { } p) record.PercentComplete = Math.Clamp(p, 0, 100);
        if (completed) record.RecordType = ProgressRecordType.Completed;
        Post(() => WriteProgress(record));
    }

    // ---------------------------------------------------------------- errors

    /// <summary>
    /// The error record of an engine failure. The last line of defence for secrets: an inner exception that
    /// carries an HTTP request or response (KubernetesClient's HttpOperationException holds a secret being
    /// written) is replaced by a SanitizedException, and so is a target that is an exception or a message.
    /// </summary>
    protected ErrorRecord NewErrorRecord(OpsException ex)
    {
        ex = ExceptionSanitizer.Sanitize(ex);
        var category = Enum.TryParse<ErrorCategory>(ex.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified;
        var record = new ErrorRecord(ex, ex.ErrorId, category, ex.Target);
        if (ex.RecommendedAction is { } action) record.ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = action };
        return record;
    }

    protected void WriteOpsError(OpsException ex)
    {
        if (ex.IsFatal) ThrowTerminatingError(NewErrorRecord(ex));
        else WriteError(NewErrorRecord(ex));
    }

    // ---------------------------------------------------------------- context

    /// <summary>The active context (session choice, REALESTATEOPS_CONTEXT, or the built-in default); an unreadable one ends the command.</summary>
    protected ActiveContext ActiveContext
    {
        get
        {
            if (_context is not null) return _context;
            try
            {
                _context = ContextSelector.Load(new ContextStore(Paths), SessionContextChoice);
            }
            catch (OpsException ex)
            {
                ThrowTerminatingError(NewErrorRecord(new OpsException(ex.ErrorId, ex.Category, ex.Message, ex.Target, ex, isFatal: true)));
            }
            WriteVerbose($"Context '{_context!.Name.Value}' (from {_context.Name.Source}).");
            return _context;
        }
    }

    /// <summary>A setting from a parameter or the context, with its source written to the verbose stream.</summary>
    protected Resolved<string>? Setting(string? explicitValue, string parameterName, Func<OpsContext, string?> selector)
    {
        var value = ActiveContext.Resolve(explicitValue, parameterName, selector);
        WriteVerbose(value is { } v ? $"{parameterName}: {Describe(parameterName, v.Value)} (from {v.Source})." : $"{parameterName}: not set.");
        return value;
    }

    protected Resolved<int>? Setting(int? explicitValue, string parameterName, Func<OpsContext, int?> selector)
    {
        var value = ActiveContext.Resolve(explicitValue, parameterName, selector);
        WriteVerbose(value is { } v ? $"{parameterName}: {v.Value} (from {v.Source})." : $"{parameterName}: not set.");
        return value;
    }

    private static string Describe(string name, string value) => Redaction.IsSecretName(name) ? Redaction.Mask : value;

    // ---------------------------------------------------------------- ShouldProcess and the journal

    protected bool IsWhatIf =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && LanguagePrimitives.IsTrue(w)) ||
        LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

    /// <summary>ShouldProcess, where -Force skips the confirmation prompt but never -WhatIf.</summary>
    protected bool ShouldChange(string target, string action, bool force = false) =>
        force && !IsWhatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm") ? true : ShouldProcess(target, action);

    /// <summary>
    /// A state change: asks ShouldProcess (-WhatIf makes no call at all), runs the engine work off the
    /// pipeline thread, and journals the outcome (Succeeded, Failed with its error id, WhatIf, Declined)
    /// with duration and correlation id. Returns default when nothing was done.
    /// </summary>
    protected T? Change<T>(string target, string action, Func<CancellationToken, Task<T>> work, bool force = false) =>
        Change(target, action, work, force, inline: false);

    private T? Change<T>(string target, string action, Func<CancellationToken, Task<T>> work, bool force, bool inline)
    {
        _journalContext = _context?.Name.Value ?? ContextSelector.ActiveName(SessionContextChoice).Value; // where it ran, before any change
        if (!ShouldChange(target, action, force))
        {
            Journal(target, action, IsWhatIf ? JournalOutcome.WhatIf : JournalOutcome.Declined, TimeSpan.Zero);
            return default;
        }
        var watch = Stopwatch.StartNew();
        try
        {
            var result = inline ? work(CancellationToken).GetAwaiter().GetResult() : Run(work);
            Journal(target, action, JournalOutcome.Succeeded, watch.Elapsed);
            return result;
        }
        catch (OpsException ex)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, ex.ErrorId, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or PipelineStoppedException)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, "OperationStopped", "Stopped before it finished.");
            throw;
        }
        catch (Exception ex)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, ex.GetType().Name, ExceptionSanitizer.RedactMessage(ex.Message));
            throw;
        }
    }

    protected bool Change(string target, string action, Func<CancellationToken, Task> work, bool force = false) =>
        Change(target, action, async ct => { await work(ct).ConfigureAwait(false); return true; }, force);

    /// <summary>A state change that is quick and local (a file, session state): done on the pipeline thread itself.</summary>
    protected bool Change(string target, string action, Action work, bool force = false) =>
        Change(target, action, _ => { work(); return Task.FromResult(true); }, force, inline: true);

    /// <summary>Appends to the journal; a journal that cannot be written gives a warning, never a lost operation.</summary>
    protected void Journal(string target, string action, JournalOutcome outcome, TimeSpan duration, string? errorId = null, string? message = null)
    {
        try
        {
            var entry = new JournalEntry
            {
                Timestamp = DateTimeOffset.UtcNow,
                User = Environment.UserName,
                Host = Environment.MachineName,
                Context = _journalContext ?? _context?.Name.Value ?? ContextSelector.ActiveName(SessionContextChoice).Value,
                Command = MyInvocation.MyCommand.Name,
                Action = action,
                Target = target,
                Parameters = JournalParameters(),
                Outcome = outcome,
                ErrorId = errorId,
                Message = message is null ? null : Redaction.ScrubConnectionString(message),
                DurationMs = Math.Round(duration.TotalMilliseconds, 1),
                CorrelationId = OpsSession.CorrelationId(_runspace),
            };
            new OpsJournal(Paths.JournalFile).Append(entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Post(() => WriteWarning($"The journal '{Paths.JournalFile}' could not be written ({ex.Message}); the operation itself was not affected."));
        }
    }

    private Dictionary<string, string?> JournalParameters()
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in MyInvocation.BoundParameters)
            result[name] = JournalValue(name, value);
        return result;
    }

    internal static string? JournalValue(string name, object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case null: return null;
            case PSCredential cred: return $"{cred.UserName} (password removed)";
            case SecureString: return Redaction.Mask;
            case string s when Redaction.IsSecretName(name): return s.Length == 0 ? "" : Redaction.Mask;
            case string s: return Redaction.ScrubConnectionString(s);
            case SwitchParameter sw: return sw.IsPresent ? "True" : "False";
            case IDictionary dict:
                return "@{" + string.Join("; ", dict.Keys.Cast<object>().Select(k => $"{k}={JournalValue(k.ToString() ?? "", dict[k])}")) + "}";
            case IEnumerable items:
                return string.Join(", ", items.Cast<object?>().Take(50).Select(i => JournalValue(name, i)));
            default:
                return Redaction.IsSecretName(name) ? Redaction.Mask : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
