using System.Text.Json;
using RealEstateOps.Engine.Journal;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Journal;

public class JournalTests
{
    private static JournalEntry Entry(string command, string target, JournalOutcome outcome, DateTimeOffset at) => new()
    {
        Timestamp = at, User = "ops", Host = "h", Command = command, Target = target, Outcome = outcome, CorrelationId = "c1",
        Parameters = { ["Name"] = target },
    };

    [Fact]
    public void Entries_round_trip_as_json_lines_and_filter()
    {
        using var dir = new TempDir();
        var journal = new OpsJournal(Path.Combine(dir.Path, "j", "journal.jsonl"));
        var t0 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        journal.Append(Entry("New-DbSnapshot", "manual-backup-20261101", JournalOutcome.Succeeded, t0));
        journal.Append(Entry("Restore-Database", "real-estate-ai-db-restored", JournalOutcome.Failed, t0.AddHours(1)));
        journal.Append(Entry("Remove-DbSnapshot", "manual-backup-20261101", JournalOutcome.WhatIf, t0.AddHours(2)));

        var lines = File.ReadAllLines(journal.FilePath);
        Assert.Equal(3, lines.Length);
        Assert.Equal("Failed", JsonDocument.Parse(lines[1]).RootElement.GetProperty("Outcome").GetString());

        Assert.Equal(3, journal.Read().Count());
        Assert.Equal("Restore-Database", Assert.Single(journal.Read(new JournalQuery { Outcome = new[] { JournalOutcome.Failed } })).Command);
        Assert.Equal(2, journal.Read(new JournalQuery { Target = new[] { "manual-*" } }).Count());
        Assert.Equal(2, journal.Read(new JournalQuery { Command = new[] { "*-DbSnapshot" } }).Count());
        Assert.Equal(2, journal.Read(new JournalQuery { After = t0.AddMinutes(30) }).Count());
        Assert.Single(journal.Read(new JournalQuery { Before = t0.AddMinutes(30) }));
        Assert.Empty(journal.Read(new JournalQuery { CorrelationId = "other" }));
    }

    [Fact]
    public void A_damaged_line_is_skipped_not_fatal()
    {
        using var dir = new TempDir();
        var journal = new OpsJournal(Path.Combine(dir.Path, "journal.jsonl"));
        journal.Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        File.AppendAllText(journal.FilePath, "{ not json\n");
        journal.Append(Entry("B", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        Assert.Equal(new[] { "A", "B" }, journal.Read().Select(e => e.Command));
    }

    [Fact]
    public async Task Concurrent_writers_never_interleave_or_lose_entries()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "journal.jsonl");
        const int writers = 8, each = 150;
        var padding = new string('x', 3000); // long lines: a torn write would show
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() =>
        {
            var journal = new OpsJournal(path); // separate instances, as separate processes would be
            for (var i = 0; i < each; i++)
                journal.Append(new JournalEntry { Timestamp = DateTimeOffset.UtcNow, Command = $"W{w}", Target = $"{i}", Message = padding });
        })));
        var lines = File.ReadAllLines(path);
        Assert.Equal(writers * each, lines.Length);
        var entries = lines.Select(l => JsonSerializer.Deserialize<JournalEntry>(l, OpsJournal.Json)!).ToList();
        foreach (var g in entries.GroupBy(e => e.Command))
            Assert.Equal(Enumerable.Range(0, each).Select(i => i.ToString()), g.Select(e => e.Target));
    }

    [Fact]
    public void An_unwritable_journal_throws_an_io_error_for_the_caller_to_warn_about()
    {
        using var dir = new TempDir();
        var blocker = Path.Combine(dir.Path, "file");
        File.WriteAllText(blocker, "");
        var journal = new OpsJournal(Path.Combine(blocker, "journal.jsonl")); // a folder that is a file
        Assert.ThrowsAny<IOException>(() => journal.Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow)));
    }
}
