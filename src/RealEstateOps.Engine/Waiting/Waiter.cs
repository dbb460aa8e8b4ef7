using System.Diagnostics;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Waiting;

public enum WaitState
{
    Pending,
    Done,
    Failed,
}

/// <summary>What one poll found: still pending (with a status and maybe a percentage), done, or failed.</summary>
public readonly record struct WaitCheck(WaitState State, string Status, int? PercentComplete = null)
{
    public static WaitCheck Pending(string status, int? percent = null) => new(WaitState.Pending, status, percent);
    public static WaitCheck Done(string status = "done") => new(WaitState.Done, status, 100);
    public static WaitCheck Failed(string reason) => new(WaitState.Failed, reason);
}

/// <summary>Progress of a wait, for Write-Progress: what, its last status, elapsed time.</summary>
public sealed record WaitProgress(string Activity, string Status, TimeSpan Elapsed, TimeSpan Timeout, int? PercentComplete, int Polls, bool Completed = false)
{
    /// <summary>How long until the next poll (null once the wait is over).</summary>
    public TimeSpan? NextPoll { get; init; }

    /// <summary>This wait as a progress event: its status with the time elapsed of the timeout and the next check.</summary>
    public OpsProgress ToProgress(int activityId, int parentId = -1)
    {
        var next = NextPoll is { } n ? $", next check in {Waiter.Format(n)}" : "";
        return new OpsProgress(activityId, Activity, $"{Status} ({Waiter.Format(Elapsed)} elapsed of {Waiter.Format(Timeout)}{next})", PercentComplete, Completed, parentId);
    }
}

public sealed class WaitOptions
{
    /// <summary>What is awaited, e.g. "snapshot manual-backup-20261128 available".</summary>
    public required string Activity { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan InitialInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Interval growth while the status stays the same; a changed status resets the interval.</summary>
    public double Backoff { get; init; } = 1.5;
    public string TimeoutErrorId { get; init; } = "WaitTimeout";
    public string FailedErrorId { get; init; } = "WaitFailed";
    public object? Target { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The one waiter every Wait-* cmdlet and -Wait switch uses: polls until done, failed, timed out or
/// cancelled. The interval adapts (grows while nothing changes, resets when the status moves), the
/// delay is a cancellable timer (Ctrl+C stops at once), and each poll reports progress.
/// </summary>
public static class Waiter
{
    public static async Task<T> WaitAsync<T>(
        Func<CancellationToken, Task<T>> poll,
        Func<T, WaitCheck> check,
        WaitOptions options,
        IProgress<WaitProgress>? progress,
        CancellationToken cancellationToken)
    {
        var time = options.Time;
        var started = time.GetTimestamp();
        var interval = options.InitialInterval;
        string? lastStatus = null;
        for (var polls = 1; ; polls++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var value = await poll(cancellationToken).ConfigureAwait(false);
            var result = check(value);
            var elapsed = time.GetElapsedTime(started);
            var remaining = options.Timeout - elapsed;
            TimeSpan? next = null;
            if (result.State == WaitState.Pending && remaining > TimeSpan.Zero)
            {
                // Poll often while things move, less often while they don't.
                if (lastStatus is not null && lastStatus != result.Status) interval = options.InitialInterval;
                lastStatus = result.Status;
                next = interval < remaining ? interval : remaining;
                interval = TimeSpan.FromTicks(Math.Min(options.MaxInterval.Ticks, (long)(interval.Ticks * options.Backoff)));
            }
            progress?.Report(new WaitProgress(options.Activity, result.Status, elapsed, options.Timeout, result.PercentComplete, polls,
                Completed: result.State != WaitState.Pending) { NextPoll = next });
            switch (result.State)
            {
                case WaitState.Done:
                    return value;
                case WaitState.Failed:
                    throw new OpsException(options.FailedErrorId, OpsErrorCategory.InvalidResult,
                        $"{options.Activity}: {result.Status}", options.Target);
            }
            if (next is not { } delay)
                throw new OpsException(options.TimeoutErrorId, OpsErrorCategory.OperationTimeout,
                    $"{options.Activity}: not done after {Format(options.Timeout)} (last status: {result.Status}). It may still complete; raise -Timeout to wait longer.",
                    options.Target);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" :
        span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s" :
        $"{span.TotalSeconds:0.#}s";
}
