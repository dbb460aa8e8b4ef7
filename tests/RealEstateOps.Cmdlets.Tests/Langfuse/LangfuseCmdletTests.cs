using System.Text.Json.Nodes;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Langfuse;
using RealEstateOps.Sandbox;
using RealEstateOps.Sandbox.Langfuse;

namespace RealEstateOps.Cmdlets.Tests.Langfuse;

/// <summary>
/// The Langfuse cmdlets in a runspace against an in-process sandbox, on a context made with Set-OpsContext -ServiceUrl
/// -LangfusePublicKey -LangfuseSecretKeyFile: typed output, the pipeline from Get-LlmTrace into Add-LlmDatasetItem,
/// <c>| Select-Object -First 1</c> making one list request, -WhatIf making no change request, and the secret key in no
/// verbose line, error record or journal entry.
/// </summary>
public sealed class LangfuseCmdletTests : IAsyncLifetime
{
    private SandboxHost _host = null!;
    private HttpClient _http = null!;
    private PsSession _s = null!;
    private string _state = "";
    private string _keyFile = "";

    public async Task InitializeAsync()
    {
        _state = Path.Combine(Path.GetTempPath(), "reo-langfuse-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new SandboxOptions
        {
            PostgresConnectionString = TestPostgres.AdminConnectionString, StateDir = _state,
            DatabaseName = "rea_" + Guid.NewGuid().ToString("N")[..8], AppUser = "app_" + Guid.NewGuid().ToString("N")[..8],
        };
        _host = await SandboxHost.StartAsync(options);
        _keyFile = LangfuseKeyFile.Write(_state, options.Secrets);
        _http = new HttpClient { BaseAddress = _host.BaseUrl };
        _http.DefaultRequestHeaders.Add("X-Sandbox-Token", options.Secrets.ControlToken);
        _s = new PsSession();
        _s.SetEnv(LangfuseTarget.PublicKeyVariable, null);
        _s.SetEnv(LangfuseTarget.SecretKeyVariable, null);
        var r = _s.Run($"Set-OpsContext -Name lf -ServiceUrl @{{ langfuse = '{_host.BaseUrl}' }} -LangfusePublicKey {options.Secrets.LangfusePublicKey} -LangfuseSecretKeyFile '{_keyFile}' -Use");
        Assert.Empty(r.Errors);
        Assert.Null(r.Terminating);
        Assert.Empty(r.Warnings); // 0600
    }

    public async Task DisposeAsync()
    {
        _s.Dispose();
        _http.Dispose();
        await _host.DisposeAsync();
        try { Directory.Delete(_state, true); } catch (IOException) { }
    }

    private string Secret => _host.Context.Options.Secrets.LangfuseSecretKey;
    private LangfuseStore Store => _host.Services.OfType<LangfuseService>().Single().Store;

    private long Requests(string operation)
    {
        var counts = JsonNode.Parse(_http.GetStringAsync("_sandbox/requests").GetAwaiter().GetResult())!;
        return (long?)counts["operations"]?["langfuse:" + operation] ?? 0;
    }

    [Theory]
    [InlineData("Get-LlmTrace", "ListObservations")]
    [InlineData("Get-LlmTrace -Name chatbot-conversation", "ListObservations")]
    [InlineData("Get-LlmDataset", "ListDatasets")]
    public void Select_first_1_makes_exactly_one_list_request(string command, string operation)
    {
        for (var i = 0; i < 60; i++) Store.UpsertDataset($"paging-{i:00}", null, null); // more than one page of datasets (50)
        var before = Requests(operation);
        // The first item is held back until the sandbox has seen a second request (2 s at most): a cmdlet that fetched ahead of
        // the pipeline would show it here; one that waits for the pipeline never asks, and Select-Object -First 1 stops it.
        using var stop = new CancellationTokenSource();
        using var secondRequest = new ManualResetEventSlim();
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Requests(operation) - before < 2) await Task.Delay(25);
            if (!stop.IsCancellationRequested) secondRequest.Set();
        });
        var first = _s.Run($"{command} | ForEach-Object {{ $null = $secondRequest.Wait(2000); $_ }} | Select-Object -First 1",
            new Dictionary<string, object?> { ["secondRequest"] = secondRequest });
        stop.Cancel();
        watching.Wait(TimeSpan.FromSeconds(10));
        Assert.Empty(first.Errors);
        Assert.Single(first.Output);
        Assert.Equal(1, Requests(operation) - before);

        var all = _s.Run(command);
        Assert.Empty(all.Errors);
        Assert.True(Requests(operation) - before > 2, $"{command} read only one page ({all.Output.Count} items)");
    }

    [Fact]
    public void Metrics_and_traces_are_typed_and_failed_traces_become_dataset_items()
    {
        var metrics = _s.Run("Get-LlmMetric -GroupBy Model -From (Get-Date).AddDays(-7)");
        Assert.Empty(metrics.Errors);
        var byModel = metrics.Objects<LlmMetric>().ToList();
        Assert.Equal(new[] { "claude-3-5-sonnet", "gpt-4o", "gpt-4o-mini" }, byModel.Select(m => m.Model).Order());
        Assert.Equal(Store.Observations.Count(o => o.Type == "GENERATION" && o.StartTime >= byModel[0].From), byModel.Sum(m => m.Generations));

        var made = _s.Run("New-LlmDataset problem-conversations -Description 'failed'; Get-LlmTrace -Level Error -First 3 | Add-LlmDatasetItem -Dataset problem-conversations");
        Assert.Empty(made.Errors);
        Assert.Single(made.Objects<LlmDataset>());
        var items = made.Objects<LlmDatasetItem>().ToList();
        Assert.Equal(3, items.Count);
        var failed = Store.Observations.Where(o => o.Level == "ERROR").Select(o => o.TraceId).ToHashSet();
        Assert.All(items, i =>
        {
            Assert.Contains(i.SourceTraceId!, failed);
            Assert.Contains("\"level\":\"ERROR\"", i.Metadata);
            Assert.Contains("statusMessage", i.Metadata);
            Assert.NotNull(i.Input);
        });

        var again = _s.Run("New-LlmDataset problem-conversations");
        Assert.Equal(new[] { "LlmDatasetExists" }, again.ErrorIds);
        var missing = _s.Run("Get-LlmDataset no-such-dataset, problem-conversations");
        Assert.Equal(new[] { "LlmDatasetNotFound" }, missing.ErrorIds);
        Assert.Single(missing.Objects<LlmDataset>()); // the other name still answered
    }

    [Fact]
    public void WhatIf_makes_no_change_request_and_is_journaled()
    {
        var before = (Requests("CreateDataset"), Requests("CreateDatasetItem"));
        var r = _s.Run("New-LlmDataset whatif-dataset -WhatIf; Get-LlmTrace -Level Error -First 2 | Add-LlmDatasetItem -Dataset golden-conversations -WhatIf");
        Assert.Empty(r.Errors);
        Assert.Empty(r.Output);
        Assert.Equal(before, (Requests("CreateDataset"), Requests("CreateDatasetItem")));
        var journal = File.ReadAllLines(_s.JournalFile).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, journal.Count(e => (string?)e["Outcome"] == "WhatIf"));
    }

    [Fact]
    public void The_secret_key_is_in_no_verbose_line_error_or_journal_entry()
    {
        var r = _s.Run("Get-LlmMetric -Verbose; New-LlmDataset secret-check -Verbose; Get-LlmTrace -First 1 | Add-LlmDatasetItem -Dataset secret-check -Verbose");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Verbose, v => v.Contains("secret key from file " + _keyFile, StringComparison.Ordinal));

        // A wrong key pair: the command stops with LangfuseUnauthorized, and says nothing of either secret.
        var wrongFile = Path.Combine(_state, "wrong-key");
        File.WriteAllText(wrongFile, "sk-lf-wrong-secret-value\n");
        File.SetUnixFileMode(wrongFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var wrong = _s.Run($"Set-OpsContext lf -LangfuseSecretKeyFile '{wrongFile}'; Get-LlmTrace -Verbose");
        Assert.Equal("LangfuseUnauthorized", (wrong.Terminating as System.Management.Automation.IContainsErrorRecord)?.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]
                                             ?? wrong.ErrorIds.FirstOrDefault());
        var everything = string.Join("\n", r.Verbose.Concat(wrong.Verbose).Concat(wrong.Errors.Select(e => e.ToString() + e.Exception)))
                         + wrong.Terminating + File.ReadAllText(_s.JournalFile);
        Assert.DoesNotContain(Secret, everything);
        Assert.DoesNotContain("sk-lf-wrong-secret-value", everything);
        Assert.Contains("secret-check", File.ReadAllText(_s.JournalFile));
    }

    [Fact]
    public void Keys_from_the_environment_when_the_context_has_none()
    {
        var r = _s.Run($"Set-OpsContext -Name lf-env -ServiceUrl @{{ langfuse = '{_host.BaseUrl}' }} -Use");
        Assert.Empty(r.Errors);
        var none = _s.Run("Get-LlmTrace -First 1");
        Assert.Equal("LangfuseCredentialsNotSet", (none.Terminating as System.Management.Automation.IContainsErrorRecord)?.ErrorRecord.FullyQualifiedErrorId.Split(',')[0]
                                                 ?? none.ErrorIds.FirstOrDefault());
        _s.SetEnv(LangfuseTarget.PublicKeyVariable, _host.Context.Options.Secrets.LangfusePublicKey);
        _s.SetEnv(LangfuseTarget.SecretKeyVariable, Secret);
        var env = _s.Run("Get-LlmTrace -First 1 -Verbose");
        Assert.Empty(env.Errors);
        Assert.Single(env.Objects<LlmTrace>());
        Assert.Contains(env.Verbose, v => v.Contains("secret key from environment LANGFUSE_SECRET_KEY", StringComparison.Ordinal));
        Assert.DoesNotContain(env.Verbose, v => v.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Set_OpsContext_needs_an_existing_key_file_and_warns_when_others_can_read_it()
    {
        var missing = _s.Run($"Set-OpsContext lf -LangfuseSecretKeyFile '{Path.Combine(_state, "no-such-file")}'");
        Assert.Equal(new[] { "LangfuseSecretKeyFileNotFound" }, missing.ErrorIds);
        var open = Path.Combine(_state, "open-key");
        File.WriteAllText(open, Secret + "\n");
        File.SetUnixFileMode(open, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var warned = _s.Run($"Set-OpsContext lf -LangfuseSecretKeyFile '{open}'");
        Assert.Empty(warned.Errors);
        Assert.Contains(warned.Warnings, w => w.Contains("chmod 600", StringComparison.Ordinal));
        Assert.DoesNotContain(warned.Warnings, w => w.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Completers_offer_live_trace_names_models_and_datasets()
    {
        string[] Complete(string line) => _s.Run($"(TabExpansion2 '{line}' {line.Length}).CompletionMatches.CompletionText").Output.Where(o => o is not null).Select(o => o.ToString()).ToArray();
        Assert.Equal(new[] { "chatbot-conversation" }, Complete("Get-LlmTrace -Name chat"));
        Assert.Equal(new[] { "property-search", "proposal-generation" }, Complete("Get-LlmMetric -TraceName pro"));
        Assert.Equal(new[] { "gpt-4o", "gpt-4o-mini" }, Complete("Get-LlmMetric -Model gpt"));
        Assert.Equal(new[] { "golden-conversations" }, Complete("Add-LlmDatasetItem -Dataset gol"));
        // An unreachable Langfuse gives no names, and no error.
        Assert.Empty(Complete($"Get-LlmDataset -LangfuseUrl http://127.0.0.1:{RealEstateOps.Engine.Common.Ports.Free()} -Name g"));
    }
}
