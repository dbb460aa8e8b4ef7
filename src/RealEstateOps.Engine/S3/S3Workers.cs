using System.Threading.Channels;

namespace RealEstateOps.Engine.S3;

/// <summary>
/// A bounded pool of workers for S3 calls: the producer queues jobs (with back-pressure) while it is
/// still listing; a job that fails unexpectedly stops the producer and the other workers.
/// </summary>
internal sealed class S3Workers : IAsyncDisposable
{
    private readonly Channel<Func<CancellationToken, Task>> _jobs;
    private readonly CancellationTokenSource _cts;
    private readonly List<Task> _workers;

    public S3Workers(int count, CancellationToken ct)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _jobs = Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(count * 2) { SingleWriter = true });
        _workers = Enumerable.Range(0, count).Select(_ => Task.Run(RunAsync)).ToList();
    }

    /// <summary>Cancelled by the caller or when a job failed.</summary>
    public CancellationToken Token => _cts.Token;

    private async Task RunAsync()
    {
        try
        {
            await foreach (var job in _jobs.Reader.ReadAllAsync(_cts.Token).ConfigureAwait(false)) await job(_cts.Token).ConfigureAwait(false);
        }
        catch
        {
            _cts.Cancel();
            throw;
        }
    }

    public ValueTask QueueAsync(Func<CancellationToken, Task> job) => _jobs.Writer.WriteAsync(job, _cts.Token);

    /// <summary>Waits for every queued job; rethrows the first failure.</summary>
    public async Task CompleteAsync()
    {
        _jobs.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _jobs.Writer.TryComplete();
        try { await Task.WhenAll(_workers).ConfigureAwait(false); }
        catch (Exception) when (_cts.IsCancellationRequested) { /* already reported by CompleteAsync or the caller's cancellation */ }
        _cts.Dispose();
    }
}
