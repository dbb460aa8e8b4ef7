using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using System.Security;
using RealEstateOps.Commands.Maintenance;
using RealEstateOps.Common;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Maintenance;
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
public abstract partial class OpsCommandBase : PSCmdlet, IDisposable, IDynamicParameters
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
        Guard(() =>
        {
            CheckMaintenanceWindow();
            BeginProcessingCore();
        });
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

    // ---------------------------------------------------------------- streaming

    /// <summary>
    /// Writes an engine stream to the pipeline, pulled one item at a time on the pipeline thread: the engine
    /// asks for its next page only when the pipeline has taken every item of the last one (back-pressure, so
    /// <c>| Select-Object -First 1</c> makes one list request), a downstream stop or Ctrl+C ends the stream
    /// at once, and whatever the engine posts meanwhile (verbose, progress, events) is written in order.
    /// The one way every list cmdlet writes its output.
    /// </summary>
    protected void Stream<T>(Func<CancellationToken, IAsyncEnumerable<T>> source)
    {
        if (_queue is not null) throw new InvalidOperationException("Stream is not reentrant.");
        var queue = new BlockingCollection<Action>();
        _queue = queue;
        IAsyncEnumerator<T>? items = null;
        Task? pending = null;
        try
        {
            items = source(_cancellation.Token).GetAsyncEnumerator(_cancellation.Token);
            while (true)
            {
                var next = items.MoveNextAsync();
                bool more;
                if (next.IsCompleted)
                {
                    more = next.GetAwaiter().GetResult();
                    Drain(queue); // what other threads posted meanwhile, before the item that followed it
                }
                else
                {
                    var task = next.AsTask();
                    pending = task;
                    Pump(queue, task);
                    more = task.GetAwaiter().GetResult();
                    pending = null;
                }
                if (!more)
                {
                    Drain(queue);
                    break;
                }
                try
                {
                    WriteObject(items.Current);
                }
                catch
                {
                    // A downstream stop (Select-Object -First) or a failed write: the engine stops too.
                    _cancellation.Cancel();
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // Ctrl+C (StopProcessing): stop now, even if the engine is slow to notice; it ends on its own.
            throw new PipelineStoppedException();
        }
        finally
        {
            _queue = null;
            if (items is not null)
            {
                // An enumerator may be disposed only once its pending MoveNextAsync has ended: when a stop left one
                // running (cancelled, ending on its own), it is disposed after, and the clients are released after that.
                var disposed = pending is { IsCompleted: false } running
                    ? running.ContinueWith(_ => items.DisposeAsync().AsTask(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap()
                    : items.DisposeAsync().AsTask();
                if (!disposed.IsCompleted)
                {
                    _abandoned = _abandoned is null ? disposed : Task.WhenAll(_abandoned, disposed);
                    Observe(disposed);
                }
                else if (disposed.IsFaulted && !_cancellation.IsCancellationRequested)
                {
                    disposed.GetAwaiter().GetResult();
                }
            }
            if (pending is null || pending.IsCompleted) queue.Dispose();
        }
    }

    /// <summary>Writes what is already posted, without waiting.</summary>
    private static void Drain(BlockingCollection<Action> queue)
    {
        while (queue.TryTake(out var action)) action();
    }

    /// <summary>Writes what the engine posts until <paramref name="task"/> ends; Ctrl+C ends the wait with an OperationCanceledException.</summary>
    private void Pump(BlockingCollection<Action> queue, Task task)
    {
        task.ContinueWith(_ => { try { queue.Add(static () => { }); } catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException) { } },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted || queue.Count > 0)
        {
            if (!queue.TryTake(out var action, Timeout.Infinite, _cancellation.Token)) break;
            action();
        }
    }

    // ---------------------------------------------------------------- engine events

    /// <summary>
    /// The listener for an engine operation's typed events: notes go to the verbose, information or warning
    /// stream by their level, progress to Write-Progress, an item's failure to a non-terminating error record.
    /// Safe to report from any thread.
    /// </summary>
    protected IProgress<OpsEvent> Listener => _events ??= new EventSink(this);

    private IProgress<OpsEvent>? _events;

    private sealed class EventSink : IProgress<OpsEvent>
    {
        private readonly OpsCommandBase _cmdlet;
        public EventSink(OpsCommandBase cmdlet) => _cmdlet = cmdlet;

        public void Report(OpsEvent value) => _cmdlet.Post(() => _cmdlet.Write(value));
    }

    /// <summary>Writes one engine event on the pipeline thread.</summary>
    protected void Write(OpsEvent value)
    {
        switch (value)
        {
            case OpsNote { Level: OpsNoteLevel.Warning } note:
                WriteWarning(note.Message);
                break;
            case OpsNote { Level: OpsNoteLevel.Information } note:
                WriteInformation(new InformationRecord(note.Message, MyInvocation.MyCommand.Name));
                break;
            case OpsNote note:
                WriteVerbose(note.Message);
                break;
            case OpsProgress p:
                var record = new ProgressRecord(p.ActivityId, p.Activity, p.Status) { ParentActivityId = p.ParentId };
                if (p.PercentComplete is { } pct) record.PercentComplete = Math.Clamp(pct, 0, 100);
                if (p.Completed) record.RecordType = ProgressRecordType.Completed;
                WriteProgress(record);
                break;
            case OpsItemFailed failed:
                WriteError(NewErrorRecord(failed.Error));
                break;
        }
    }

    protected void Emit(object item) => Post(() => WriteObject(item));
    protected void EmitVerbose(string message) => Post(() => WriteVerbose(message));

    /// <summary>The one retry note every client gives the engine's RetryHandler: each retry said in verbose output.</summary>
    protected Action<HttpRequestMessage, int, string, TimeSpan> RetryNote(string service) => (request, attempt, reason, delay) =>
        EmitVerbose($"{service}: attempt {attempt} failed ({reason}); retrying in {delay.TotalMilliseconds:0} ms.");

    // ---------------------------------------------------------------- progress

    /// <summary>A progress sink for the engine's waiter: Write-Progress with status and elapsed time.</summary>
    protected IProgress<WaitProgress> WaitProgress(int activityId = 1) => new ProgressSink(this, activityId);

    private sealed class ProgressSink : IProgress<WaitProgress>
    {
        private readonly OpsCommandBase _cmdlet;
        private readonly int _id;
        public ProgressSink(OpsCommandBase cmdlet, int id) { _cmdlet = cmdlet; _id = id; }

        public void Report(WaitProgress p) => _cmdlet.Post(() => _cmdlet.Write(p.ToProgress(_id)));
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
                _context = OpsSession.LoadContext(SessionId, Paths);
            }
            catch (OpsException ex)
            {
                ThrowTerminatingError(NewErrorRecord(new OpsException(ex.ErrorId, ex.Category, ex.Message, ex.Target, ex, isFatal: true)));
            }
            WriteVerbose($"Context '{_context!.Name.Value}' (from {_context.Name.Source}).");
            return _context;
        }
    }

    /// <summary>
    /// A file the operator names as holding a secret (a key, a token, a webhook URL), as a full path: it must exist
    /// (<paramref name="errorId"/>, saying to write <paramref name="what"/> into it first), and a warning says so when other
    /// users may read it. The file is only named here, never read.
    /// </summary>
    protected string ExistingSecretFile(string file, string errorId, string what)
    {
        var path = GetUnresolvedProviderPathFromPSPath(file);
        if (!File.Exists(path))
            throw new OpsException(errorId, OpsErrorCategory.ObjectNotFound, $"The {what} file '{path}' does not exist: write the {what} into it first (one line, chmod 600).", path);
        if (!UnixFiles.IsOwnerOnly(path))
            WriteWarning($"The {what} file '{path}' can be read by other users: restrict it to its owner (chmod 600 '{path}').");
        return path;
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

    /// <summary>
    /// ShouldProcess, where -Force skips the confirmation prompt but never -WhatIf. A change that needs
    /// confirmation in a session that cannot prompt (pwsh -NonInteractive, a scheduled job) is refused with
    /// ConfirmationRequired, journaled as Declined, and ends the command: nothing was changed.
    /// </summary>
    protected bool ShouldChange(string target, string action, bool force = false)
    {
        if (force && !IsWhatIf && !MyInvocation.BoundParameters.ContainsKey("Confirm")) return true;
        try
        {
            return ShouldProcess(target, action);
        }
        catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException or NotSupportedException
                                   && ex is not PipelineStoppedException)
        {
            const string message = "needs confirmation, but this session cannot prompt (it is non-interactive). Nothing was changed.";
            Journal(target, action, JournalOutcome.Declined, TimeSpan.Zero, "ConfirmationRequired", $"{action} on {target} {message}");
            throw new OpsException("ConfirmationRequired", OpsErrorCategory.InvalidOperation, $"{action} on '{target}' {message}", target, isFatal: true)
            {
                RecommendedAction = "Check the plan with -WhatIf, then run it with -Confirm:$false (or the cmdlet's -Force) in a script that cannot prompt.",
            };
        }
    }

    /// <summary>
    /// A state change: asks ShouldProcess (-WhatIf makes no call at all), runs the engine work off the
    /// pipeline thread, and journals the outcome (Succeeded, Failed with its error id, WhatIf, Declined)
    /// with duration and correlation id. Returns default when nothing was done.
    /// </summary>
    protected T? Change<T>(string target, string action, Func<CancellationToken, Task<T>> work, bool force = false) =>
        Change(target, action, work, force, inline: false);

    /// <summary>
    /// A state change followed by a wait for it to settle (-Wait): one journal entry whose duration covers both.
    /// <paramref name="settle"/> runs on the pipeline thread once the change was made (e.g. a WaitFor with progress)
    /// and returns what the command writes. When the wait fails or is stopped, the entry says the change itself was
    /// made and how the wait ended, with the wait's error id (or WaitStopped).
    /// </summary>
    protected T? ChangeThenWait<T>(string target, string action, Func<CancellationToken, Task<T>> work, Func<T, T> settle, bool force = false) =>
        Change(target, action, work, force, inline: false, settle);

    /// <summary>
    /// A change whose result can itself be a failure (a restore drill that ran and found the backup wanting): <paramref name="judge"/>
    /// names the failure, which the journal entry records as Failed with its id; the result is returned either way, for the command
    /// to write with the failure as a non-terminating error.
    /// </summary>
    protected T? ChangeJudged<T>(string target, string action, Func<CancellationToken, Task<T>> work, Func<T, OpsException?> judge, bool force = false) =>
        Change(target, action, work, force, inline: false, judge: judge);

    private T? Change<T>(string target, string action, Func<CancellationToken, Task<T>> work, bool force, bool inline, Func<T, T>? settle = null, Func<T, OpsException?>? judge = null)
    {
        _journalContext = _context?.Name.Value ?? ContextSelector.ActiveName(SessionContextChoice).Value; // where it ran, before any change
        if (!ShouldChange(target, action, force))
        {
            Journal(target, action, IsWhatIf ? JournalOutcome.WhatIf : JournalOutcome.Declined, TimeSpan.Zero);
            return default;
        }
        var watch = Stopwatch.StartNew();
        var made = false;
        try
        {
            var result = inline ? work(CancellationToken).GetAwaiter().GetResult() : Run(work);
            made = true;
            if (settle is not null) result = settle(result);
            if (judge?.Invoke(result) is { } failure) Journal(target, action, JournalOutcome.Failed, watch.Elapsed, failure.ErrorId, failure.Message);
            else Journal(target, action, JournalOutcome.Succeeded, watch.Elapsed);
            return result;
        }
        catch (OpsException ex)
        {
            Journal(target, action, JournalOutcome.Failed, watch.Elapsed, ex.ErrorId, (made ? "The change was made; waiting for it to settle failed: " : "") + ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or PipelineStoppedException)
        {
            if (made) Journal(target, action, JournalOutcome.Failed, watch.Elapsed, "WaitStopped", "The change was made; the wait for it to settle was stopped before it ended.");
            else Journal(target, action, JournalOutcome.Failed, watch.Elapsed, "OperationStopped", "Stopped before it finished.");
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
                Message = WithWindowNote(message) is { } text ? Redaction.ScrubConnectionString(text) : null,
                DurationMs = Math.Round(duration.TotalMilliseconds, 1),
                CorrelationId = OpsSession.CorrelationId(_runspace),
                IncidentId = JournalIncidentId(),
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

    // ---------------------------------------------------------------- maintenance windows

    private static readonly ConcurrentDictionary<Type, string?> WindowKinds = new();
    private MaintenanceWindowParameters? _windowParameters;

    /// <summary>What the journal entries of this command add: the override and its reason, or that -WhatIf ran outside the window.</summary>
    private string? _windowNote;

    /// <summary>The kind of change this cmdlet makes (<c>[MaintenanceWindow("Kubernetes")]</c> on its class), or null when no window binds it.</summary>
    protected string? MaintenanceWindowKind => WindowKinds.GetOrAdd(GetType(), t => t.GetCustomAttribute<MaintenanceWindowAttribute>(inherit: true)?.Kind);

    /// <summary>-IgnoreMaintenanceWindow and -Reason, on window-bound cmdlets only.</summary>
    public object? GetDynamicParameters() => MaintenanceWindowKind is null ? null : _windowParameters ??= new MaintenanceWindowParameters();

    /// <summary>
    /// Before anything else (no request, no pre-flight): when the active context enforces maintenance windows and this
    /// cmdlet's kind's window is closed, refuse with OutsideMaintenanceWindow (journaled as Declined), unless
    /// -IgnoreMaintenanceWindow with a -Reason, which goes ahead with a warning and the reason in every journal entry.
    /// -WhatIf changes nothing, so it goes ahead too, with a warning that the window is closed.
    /// </summary>
    private void CheckMaintenanceWindow()
    {
        if (MaintenanceWindowKind is not { } kindName) return;
        if (!Enum.TryParse<MaintenanceKind>(kindName, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
            throw new InvalidOperationException($"{GetType().Name}: [MaintenanceWindow(\"{kindName}\")] names no kind; use one of {string.Join(", ", Enum.GetNames<MaintenanceKind>())}.");
        var ignore = _windowParameters?.IgnoreMaintenanceWindow.IsPresent == true;
        var reason = _windowParameters?.Reason?.Trim();
        if (ignore && string.IsNullOrEmpty(reason))
            throw new OpsException("MaintenanceWindowReasonRequired", OpsErrorCategory.InvalidArgument,
                "-IgnoreMaintenanceWindow needs -Reason: say why the change cannot wait for the window. Nothing was changed.", null, isFatal: true)
            {
                RecommendedAction = "Add -Reason with the incident or change id, e.g. -IgnoreMaintenanceWindow -Reason 'INC-42 hotfix'; it is journaled with the change.",
            };
        if (!ignore && !string.IsNullOrEmpty(reason))
            throw new OpsException("MaintenanceWindowReasonWithoutOverride", OpsErrorCategory.InvalidArgument,
                "-Reason is the reason for -IgnoreMaintenanceWindow and does nothing without it. Nothing was changed.", reason, isFatal: true)
            {
                RecommendedAction = "Drop -Reason, or add -IgnoreMaintenanceWindow when the change must be made outside its window.",
            };

        var schedule = new MaintenanceSchedule(ActiveContext);
        MaintenanceWindowVerdict verdict;
        try
        {
            verdict = schedule.Check(kind);
        }
        catch (OpsException ex) when (!ex.IsFatal)
        {
            throw new OpsException(ex.ErrorId, ex.Category, ex.Message, ex.Target, ex, isFatal: true);
        }
        var enforcement = schedule.Enforcement;
        var command = MyInvocation.MyCommand.Name;
        if (!enforcement.Value)
        {
            WriteVerbose($"Maintenance windows are not enforced (EnforceMaintenanceWindow from {enforcement.Source}). {verdict.Summary}");
            if (ignore) WriteVerbose("-IgnoreMaintenanceWindow has nothing to override; its reason is journaled with the change.");
            return;
        }
        if (verdict.IsOpen)
        {
            WriteVerbose($"Maintenance windows are enforced (from {enforcement.Source}). {verdict.Summary}");
            return;
        }
        var opens = MaintenanceSchedule.Instant(verdict.Window.Start);
        if (ignore)
        {
            WriteWarning($"{verdict.Summary} {command} goes ahead because of -IgnoreMaintenanceWindow; reason: {reason}");
            _windowNote = $"Made outside the {kind} maintenance window ({verdict.Window.Spec}, next open {opens}) with -IgnoreMaintenanceWindow; reason: {reason}";
            return;
        }
        if (IsWhatIf)
        {
            WriteWarning($"{verdict.Summary} Without -WhatIf, {command} would be refused (OutsideMaintenanceWindow).");
            _windowNote = $"The {kind} maintenance window was closed (next open {opens}): without -WhatIf this would have been refused.";
            return;
        }
        var message = $"{command} makes {kind} changes and context '{schedule.ContextName}' enforces maintenance windows (from {enforcement.Source}). {verdict.Summary} Nothing was changed.";
        _journalContext = schedule.ContextName;
        Journal($"{kind} maintenance window", "Refused outside the maintenance window", JournalOutcome.Declined, TimeSpan.Zero, "OutsideMaintenanceWindow", message);
        throw new OpsException("OutsideMaintenanceWindow", OpsErrorCategory.InvalidOperation, message, verdict, isFatal: true)
        {
            RecommendedAction = $"Run it in the window (it next opens {opens}), or when it cannot wait add -IgnoreMaintenanceWindow -Reason '<incident or change id>' (journaled). Test-MaintenanceWindow -Kind {kind} -Detailed shows the window.",
        };
    }

    private string? WithWindowNote(string? message) =>
        _windowNote is null ? message : message is null ? _windowNote : $"{message} ({_windowNote})";
}
