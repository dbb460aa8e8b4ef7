using System.Management.Automation;
using System.Security;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Journal;

namespace RealEstateOps.Cmdlets.Tests.Journal;

public class JournalCmdletTests
{
    [Fact]
    public void State_changes_are_journaled_and_read_back_with_filters()
    {
        using var s = new PsSession();
        s.Run("Set-OpsContext -Name a -Region us-east-2; Set-OpsContext -Name b -Region bad; Set-OpsContext -Name c -WhatIf; Remove-OpsContext a -Force");
        var all = s.Run("Get-OpsJournal").Objects<JournalEntry>().ToList();
        Assert.Equal(new[] { "Set-OpsContext", "Set-OpsContext", "Remove-OpsContext" }, all.Select(e => e.Command));
        Assert.Equal(new[] { JournalOutcome.Succeeded, JournalOutcome.WhatIf, JournalOutcome.Succeeded }, all.Select(e => e.Outcome));
        var first = all[0];
        Assert.Equal(("a", Environment.UserName, "us-east-2"), (first.Target, first.User, first.Parameters["Region"]));
        Assert.False(string.IsNullOrEmpty(first.CorrelationId));

        Assert.Single(s.Run("Get-OpsJournal -Outcome WhatIf").Objects<JournalEntry>());
        Assert.Single(s.Run("Get-OpsJournal -Command Remove-*").Objects<JournalEntry>());
        Assert.Equal("c", Assert.Single(s.Run("Get-OpsJournal -Newest 1 -Command Set-*").Objects<JournalEntry>()).Target);
        Assert.Equal(3, s.Run("Get-OpsJournal -Within 1h").Objects<JournalEntry>().Count());
        Assert.Empty(s.Run("Get-OpsJournal -Before (Get-Date).AddDays(-1)").Objects<JournalEntry>());
    }

    [Fact]
    public void One_pipeline_shares_a_correlation_id()
    {
        using var s = new PsSession();
        s.Run("'p1', 'p2' | ForEach-Object { Set-OpsContext -Name $_ }");
        s.Run("Set-OpsContext -Name p3");
        var ids = s.Run("Get-OpsJournal").Objects<JournalEntry>().Select(e => e.CorrelationId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[1], ids[2]);

        s.SetEnv("REALESTATEOPS_CORRELATION_ID", "nightly-run-42");
        s.Run("Set-OpsContext -Name p4");
        Assert.Equal("nightly-run-42", s.Run("Get-OpsJournal -Newest 1").Objects<JournalEntry>().Single().CorrelationId);
    }

    [Fact]
    public void Secrets_never_reach_the_journal()
    {
        var password = new SecureString();
        foreach (var ch in "hunter2") password.AppendChar(ch);
        Assert.Equal("ops (password removed)", RealEstateOps.Commands.OpsCommandBase.JournalValue("Credential", new PSCredential("ops", password)));
        Assert.Equal("***", RealEstateOps.Commands.OpsCommandBase.JournalValue("Password", password));
        Assert.Equal("***", RealEstateOps.Commands.OpsCommandBase.JournalValue("DbPassword", "hunter2"));
        Assert.Equal("Host=db;Password=***;Username=ops", RealEstateOps.Commands.OpsCommandBase.JournalValue("Target", "Host=db;Password=hunter2;Username=ops"));
        Assert.Equal("@{s3=http://x; token=***}", RealEstateOps.Commands.OpsCommandBase.JournalValue("Endpoint", new System.Collections.Specialized.OrderedDictionary { ["s3"] = "http://x", ["token"] = "abc" }));
    }

    [Fact]
    public void An_unwritable_journal_warns_and_the_operation_still_happens()
    {
        using var s = new PsSession();
        var blocker = Path.Combine(s.Home, "blocker");
        File.WriteAllText(blocker, "");
        s.SetEnv("REALESTATEOPS_JOURNAL", Path.Combine(blocker, "journal.jsonl"));
        var r = s.Run("Set-OpsContext -Name kept");
        Assert.Empty(r.Errors);
        Assert.Contains(r.Warnings, w => w.Contains("could not be written"));
        Assert.True(File.Exists(Path.Combine(s.ContextsFolder, "kept.json")));
    }

    [Fact]
    public void A_missing_journal_path_is_a_specific_error()
    {
        using var s = new PsSession();
        Assert.Equal("OpsJournalNotFound", Assert.Single(s.Run("Get-OpsJournal -Path /nonexistent/journal.jsonl").ErrorIds));
    }
}
