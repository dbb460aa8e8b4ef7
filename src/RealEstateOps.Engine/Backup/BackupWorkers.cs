namespace RealEstateOps.Engine.Backup;

/// <summary>
/// N long-lived workers of a parallel export or import (each keeps its own database connection across the items it
/// takes from a shared queue): the first to fail cancels the others, and the caller gets that failure, not the
/// others' cancellations; the caller's own cancellation stays an OperationCanceledException.
/// </summary>
internal static class BackupWorkers
{
    public static async Task RunAsync(int count, Func<CancellationToken, Task> worker, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task One()
        {
            try
            {
                await worker(failed.Token).ConfigureAwait(false);
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }
        var workers = Enumerable.Range(0, count).Select(_ => Task.Run(One, CancellationToken.None)).ToArray();
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch
        {
            var first = workers.Where(w => w.IsFaulted).SelectMany(w => w.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException);
            ct.ThrowIfCancellationRequested();
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }
}
