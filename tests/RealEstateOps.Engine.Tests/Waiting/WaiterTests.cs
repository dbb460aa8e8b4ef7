using System.Diagnostics;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Waiting;

namespace RealEstateOps.Engine.Tests.Waiting;

public class WaiterTests
{
    private static WaitOptions Fast(TimeSpan? timeout = null) => new()
    {
        Activity = "test", Timeout = timeout ?? TimeSpan.FromSeconds(10), InitialInterval = TimeSpan.FromMilliseconds(5),
        MaxInterval = TimeSpan.FromMilliseconds(20), TimeoutErrorId = "TestTimeout", FailedErrorId = "TestFailed",
    };

    private sealed class Collect : IProgress<WaitProgress>
    {
        public List<WaitProgress> Items { get; } = new();
        public void Report(WaitProgress value) { lock (Items) Items.Add(value); }
    }

    [Fact]
    public async Task Polls_until_done_and_reports_progress_each_time()
    {
        var n = 0;
        var progress = new Collect();
        var result = await Waiter.WaitAsync(_ => Task.FromResult(++n), v => v >= 4 ? WaitCheck.Done() : WaitCheck.Pending($"at {v}", v * 25),
            Fast(), progress, CancellationToken.None);
        Assert.Equal(4, result);
        Assert.Equal(4, progress.Items.Count);
        Assert.Equal(new int?[] { 25, 50, 75, 100 }, progress.Items.Select(p => p.PercentComplete));
        Assert.True(progress.Items[^1].Completed);
    }

    [Fact]
    public async Task A_failed_state_throws_the_given_error_id()
    {
        var ex = await Assert.ThrowsAsync<OpsException>(() => Waiter.WaitAsync(_ => Task.FromResult("failed"),
            s => s == "failed" ? WaitCheck.Failed("status failed") : WaitCheck.Pending(s), Fast(), null, CancellationToken.None));
        Assert.Equal("TestFailed", ex.ErrorId);
        Assert.Contains("status failed", ex.Message);
    }

    [Fact]
    public async Task Timeout_throws_the_given_error_id_with_the_last_status()
    {
        var ex = await Assert.ThrowsAsync<OpsException>(() => Waiter.WaitAsync(_ => Task.FromResult(0),
            _ => WaitCheck.Pending("backing-up"), Fast(TimeSpan.FromMilliseconds(100)), null, CancellationToken.None));
        Assert.Equal("TestTimeout", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.OperationTimeout, ex.Category);
        Assert.Contains("backing-up", ex.Message);
    }

    [Fact]
    public async Task Cancellation_stops_a_long_delay_at_once()
    {
        using var cts = new CancellationTokenSource();
        var options = new WaitOptions { Activity = "long", Timeout = TimeSpan.FromHours(1), InitialInterval = TimeSpan.FromMinutes(10) };
        var watch = Stopwatch.StartNew();
        var wait = Waiter.WaitAsync(_ => Task.FromResult(0), _ => WaitCheck.Pending("x"), options, null, cts.Token);
        cts.CancelAfter(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "cancellation should not wait for the poll interval");
    }

    [Fact]
    public async Task Interval_grows_while_status_is_unchanged_and_resets_when_it_moves()
    {
        var n = 0;
        var progress = new Collect();
        var options = new WaitOptions
        {
            Activity = "adaptive", InitialInterval = TimeSpan.FromMilliseconds(4), MaxInterval = TimeSpan.FromMilliseconds(20), Backoff = 2,
        };
        await Waiter.WaitAsync(_ => Task.FromResult(++n), v => v >= 7 ? WaitCheck.Done() : WaitCheck.Pending(v < 5 ? "same" : "moved"),
            options, progress, CancellationToken.None);
        // 4, 8, 16, 20 (capped) while "same"; back to 4 once the status moved, then growing again; none after done.
        Assert.Equal(new double?[] { 4, 8, 16, 20, 4, 8, null }, progress.Items.Select(p => p.NextPoll?.TotalMilliseconds));
    }
}
