using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Rds;

namespace RealEstateOps.Cmdlets.Tests.Rds;

/// <summary>
/// The RDS list cmdlets against a sandbox with more than one page of everything (instances, log files and snapshots
/// seeded through its control endpoints, a log file of three portions): <c>| Select-Object -First 1</c> makes exactly
/// one list request, counted by the sandbox (<c>/_sandbox/requests</c>), so a cmdlet that fetched ahead of the pipeline
/// fails here.
/// </summary>
public sealed class RdsPagingCmdletTests : IDisposable
{
    /// <summary>RDS's default page (MaxRecords 100) and a log portion (10000 lines).</summary>
    private const int ListPage = 100;
    private const int PortionLines = 10_000;

    private readonly OpsSandboxSession _sandbox = new(speed: 300);
    private PsSession _s => _sandbox.Shell;

    public RdsPagingCmdletTests()
    {
        _sandbox.Post("_sandbox/rds/instances", "{\"count\":150,\"prefix\":\"paged\"}");
        _sandbox.Post("_sandbox/rds/logs", "{\"count\":150,\"lines\":1,\"prefix\":\"paged\"}");
        _sandbox.Post("_sandbox/rds/logs", $"{{\"count\":1,\"lines\":{PortionLines * 5 / 2},\"prefix\":\"long\"}}");
        _sandbox.Post("_sandbox/rds/snapshots", "{\"dbInstanceId\":\"real-estate-ai-db\",\"count\":150,\"prefix\":\"paged\"}");
        _sandbox.ResetRequests();
    }

    public void Dispose() => _sandbox.Dispose();

    private long Requests(string action) => _sandbox.Requests(action);

    [Theory]
    [InlineData("Get-DbInstance", "DescribeDBInstances", ListPage)]
    [InlineData("Get-DbLogFile", "DescribeDBLogFiles", ListPage)]
    [InlineData("Get-DbLog error/long.log.0001", "DownloadDBLogFilePortion", PortionLines)]
    [InlineData("Get-DbSnapshot", "DescribeDBSnapshots", ListPage)]
    public void Select_first_1_makes_exactly_one_list_request(string command, string action, int page)
    {
        // The first item is held back until the sandbox has seen a second request (2 s at most, the time a cmdlet that fetches
        // ahead of the pipeline gets to show it): a cmdlet that waits for the pipeline never asks, and Select-Object -First 1 then stops it.
        using var stop = new CancellationTokenSource();
        using var secondRequest = new ManualResetEventSlim();
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Requests(action) < 2) await Task.Delay(25);
            if (!stop.IsCancellationRequested) secondRequest.Set();
        });
        var first = _s.Run($"{command} | ForEach-Object {{ $null = $secondRequest.Wait(2000); $_ }} | Select-Object -First 1",
            new Dictionary<string, object?> { ["secondRequest"] = secondRequest });
        stop.Cancel();
        watching.Wait(TimeSpan.FromSeconds(10));
        Assert.Empty(first.Errors);
        Assert.Single(first.Output);
        Assert.Equal(1, Requests(action));

        // The whole list follows every page: more than one, each a request.
        var all = _s.Run(command);
        Assert.Empty(all.Errors);
        var pages = (all.Output.Count + page - 1) / page;
        Assert.True(pages > 1, $"{command} gave {all.Output.Count} items, a single page");
        Assert.Equal(1 + pages, Requests(action));
    }

    [Fact]
    public void Get_DbInstance_asks_for_pages_of_PageSize()
    {
        var all = _s.Run("Get-DbInstance -PageSize 20").Objects<DbInstance>().ToList();
        Assert.Equal(151, all.Count);
        Assert.Contains(all, i => i.DbInstanceId == "paged-0150");
        Assert.Equal((151 + 19) / 20, Requests("DescribeDBInstances"));
    }
}
