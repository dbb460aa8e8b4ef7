using System.Text.Json.Nodes;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.ArgoCd;

/// <summary>Changes to applications: sync, rollback (planned first, then made), terminate, automated sync on/off, and the wait.</summary>
public sealed class ArgoOperations
{
    private readonly ArgoClient _client;
    private readonly ArgoQueries _queries;

    public ArgoOperations(ArgoClient client)
    {
        _client = client;
        _queries = new ArgoQueries(client);
    }

    /// <summary>POST .../sync {revision, prune, dryRun}; the application as Argo CD answers (its operation requested).</summary>
    public async Task<ArgoApplication> SyncAsync(ArgoSyncRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var body = new JsonObject { ["name"] = request.Name, ["prune"] = request.Prune, ["dryRun"] = request.DryRun };
        if (!string.IsNullOrEmpty(request.Revision)) body["revision"] = request.Revision;
        var app = ArgoJson.Application(await _client.SyncAsync(request.Name, body, ct).ConfigureAwait(false));
        events.Verbose($"Argo CD accepted the sync of '{request.Name}' to {request.Revision ?? app.TargetRevision ?? "its target revision"}{(request.DryRun ? " (dry run)" : "")}{(request.Prune ? " with prune" : "")}.");
        return app;
    }

    /// <summary>DELETE .../operation, then the application as it is now.</summary>
    public async Task<ArgoApplication> TerminateAsync(string name, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        await _client.TerminateOperationAsync(name, ct).ConfigureAwait(false);
        events.Verbose($"Argo CD is terminating the operation of '{name}'.");
        return await _queries.GetAsync(name, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Automated sync on (<c>automated: {}</c>: no prune, no self-heal, as `argocd app set --sync-policy automated`) or off
    /// (the merge patch <c>{"spec":{"syncPolicy":{"automated":null}}}</c>).
    /// </summary>
    public async Task<ArgoApplication> SetAutoSyncAsync(string name, bool enabled, CancellationToken ct)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["syncPolicy"] = new JsonObject { ["automated"] = enabled ? new JsonObject() : null } } };
        return ArgoJson.Application(await _client.PatchAsync(name, patch, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// Works out a rollback before anything changes: the target entry (default the one before the current), its tag, and
    /// whether automated sync is in the way. Refuses with ArgoAutoSyncEnabled when it is on and may not be turned off,
    /// ArgoOperationInProgress when an operation runs, ArgoHistoryEntryNotFound when there is no such entry.
    /// </summary>
    public async Task<ArgoRollbackPlan> PlanRollbackAsync(ArgoRollbackRequest request, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var app = await _queries.GetAsync(request.Name, null, ct).ConfigureAwait(false);
        var current = app.History.FirstOrDefault();
        ArgoHistoryEntry target;
        if (request.HistoryId is { } id)
            target = app.History.FirstOrDefault(h => h.Id == id)
                     ?? throw new OpsException("ArgoHistoryEntryNotFound", OpsErrorCategory.ObjectNotFound,
                         $"Argo CD application '{request.Name}' has no deployment with history id {id} (ids: {(app.History.Count == 0 ? "none" : string.Join(", ", app.History.Select(h => h.Id)))}).", request.Name)
                     { RecommendedAction = $"See the history with Get-ArgoHistory {request.Name}." };
        else
            target = app.History.Skip(1).FirstOrDefault()
                     ?? throw new OpsException("ArgoHistoryEntryNotFound", OpsErrorCategory.ObjectNotFound,
                         $"Argo CD application '{request.Name}' has no deployment before the current one to roll back to.", request.Name);
        if (app.AutoSync && !request.DisableAutoSync)
            throw new OpsException("ArgoAutoSyncEnabled", OpsErrorCategory.InvalidOperation,
                $"Argo CD application '{request.Name}' has automated sync on: rollback cannot be initiated when auto-sync is enabled; use -DisableAutoSync. Nothing was changed.", request.Name)
            { RecommendedAction = "Run it again with -DisableAutoSync: automated sync is turned off first (journaled), and you are told how to turn it back on." };
        if (app.OperationInProgress)
            throw new OpsException("ArgoOperationInProgress", OpsErrorCategory.ResourceBusy,
                $"Argo CD application '{request.Name}' has an operation in progress ({app.OperationPhase?.ToString() ?? "requested"}{(string.IsNullOrEmpty(app.OperationMessage) ? "" : ": " + app.OperationMessage)}). Nothing was changed.", request.Name)
            { RecommendedAction = "Wait for it (Wait-ArgoApplication) or terminate it (Stop-ArgoOperation), then roll back." };
        return new ArgoRollbackPlan
        {
            Application = app,
            From = current is null ? null : await _queries.WithTagsAsync(current, events, ct).ConfigureAwait(false),
            To = await _queries.WithTagsAsync(target, events, ct).ConfigureAwait(false),
            DisablesAutoSync = app.AutoSync,
            Prune = request.Prune,
        };
    }

    /// <summary>POST .../rollback {id, prune}: starts the sync of the planned entry's revision (sent once, never replayed).</summary>
    public async Task<ArgoApplication> RollbackAsync(ArgoRollbackPlan plan, IProgress<OpsEvent>? events, CancellationToken ct)
    {
        var name = plan.Application.Name;
        var body = new JsonObject { ["name"] = name, ["id"] = plan.To.Id, ["prune"] = plan.Prune, ["dryRun"] = false };
        var app = ArgoJson.Application(await _client.RollbackAsync(name, body, ct).ConfigureAwait(false));
        events.Verbose($"Argo CD accepted the rollback of '{name}' to history id {plan.To.Id} ({plan.To.Tag ?? ArgoApplication.Short(plan.To.Revision)}).");
        return app;
    }

    /// <summary>
    /// Polls the application until Healthy, no operation requested or running, and Synced (or, with a revision, the last
    /// operation synced that revision and succeeded), as `argocd app wait` does. Fails fast with ArgoOperationFailed when
    /// the operation ends Failed or Error, and with ArgoApplicationDegraded when the health Argo CD computed after the
    /// operation finished is Degraded (naming the unhealthy resources from the resource tree). Progress goes to
    /// <paramref name="progress"/>; ArgoWaitTimeout after the timeout.
    /// </summary>
    public Task<ArgoApplication> WaitAsync(ArgoWaitRequest request, IProgress<WaitProgress>? progress, CancellationToken ct) =>
        Waiter.WaitAsync(
            async c =>
            {
                var item = await _client.GetApplicationAsync(request.Name, null, c).ConfigureAwait(false);
                var app = ArgoJson.Application(item);
                return app.Health is ArgoHealthStatus.Healthy ? app : ArgoJson.Application(item, await _client.GetResourceTreeAsync(request.Name, c).ConfigureAwait(false));
            },
            app => Check(request, app),
            new WaitOptions
            {
                Activity = $"Waiting for Argo CD application '{request.Name}'",
                Timeout = request.Timeout,
                InitialInterval = request.PollInterval,
                MaxInterval = request.PollInterval > TimeSpan.FromSeconds(5) ? request.PollInterval : TimeSpan.FromSeconds(5),
                TimeoutErrorId = "ArgoWaitTimeout",
                FailedErrorId = "ArgoWaitFailed",
                Target = request.Name,
                Time = request.Time,
            },
            progress, ct);

    internal static WaitCheck Check(ArgoWaitRequest request, ArgoApplication app)
    {
        var status = $"sync {app.SyncStatus}, health {app.Health}, operation {(app.OperationRequested && app.OperationPhase is not (ArgoOperationPhase.Running or ArgoOperationPhase.Terminating) ? "requested" : app.OperationPhase?.ToString() ?? "none")}";
        if (!app.OperationInProgress && app.OperationPhase is ArgoOperationPhase.Failed or ArgoOperationPhase.Error)
            throw new OpsException("ArgoOperationFailed", OpsErrorCategory.InvalidResult,
                $"The last operation of Argo CD application '{app.Name}' ended {app.OperationPhase}: {app.OperationMessage ?? "no message"}", app.Name)
            { RecommendedAction = $"See Get-ArgoApplication {app.Name} | Format-List; roll back with Undo-ArgoApplication." };
        // Degraded counts only when Argo CD computed it after the operation finished (before that it may be the old state's).
        var settled = !app.OperationInProgress && (app.OperationFinishedAt is not { } finished || app.ReconciledAt is not { } reconciled || reconciled >= finished);
        if (settled && app.Health == ArgoHealthStatus.Degraded)
            throw new OpsException("ArgoApplicationDegraded", OpsErrorCategory.InvalidResult,
                $"Argo CD application '{app.Name}' is Degraded{(string.IsNullOrEmpty(app.HealthMessage) ? "" : ": " + app.HealthMessage)}" +
                (app.UnhealthyResources.Count == 0 ? "." : $"; unhealthy: {string.Join("; ", app.UnhealthyResources.Take(5))}{(app.UnhealthyResources.Count > 5 ? "; ..." : "")}."), app.Name)
            { RecommendedAction = $"Roll back with Undo-ArgoApplication {app.Name} -DisableAutoSync -Wait." };
        var revisionDone = request.Revision is null
            ? app.SyncStatus == ArgoSyncStatus.Synced
            : app.OperationPhase == ArgoOperationPhase.Succeeded && string.Equals(app.OperationRevision ?? app.DeployedRevision, request.Revision, StringComparison.OrdinalIgnoreCase);
        return settled && app.Health == ArgoHealthStatus.Healthy && revisionDone ? WaitCheck.Done(status) : WaitCheck.Pending(status);
    }
}
