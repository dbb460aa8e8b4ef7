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

    [Fact]
    public void A_half_written_last_line_does_not_swallow_the_next_entry()
    {
        using var dir = new TempDir();
        var journal = new OpsJournal(Path.Combine(dir.Path, "journal.jsonl"));
        journal.Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        // What a writer that hit a full disk leaves: the start of a line, no newline.
        File.AppendAllText(journal.FilePath, "{\"Timestamp\":\"2026-11-30T00:00:00Z\",\"Command\":\"Half");
        journal.Append(Entry("B", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        journal.Append(Entry("C", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        Assert.Equal(new[] { "A", "B", "C" }, journal.Read().Select(e => e.Command));
        var lines = File.ReadAllLines(journal.FilePath);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("{\"Timestamp\":\"2026-11-30T00:00:00Z\",\"Command\":\"Half", lines[1]);
        Assert.EndsWith("\n", File.ReadAllText(journal.FilePath));
    }

    [Fact]
    public void The_journal_is_created_owner_only_in_an_owner_only_folder()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "share", Common.OpsPaths.AppFolder);
        var journal = new OpsJournal(Path.Combine(folder, "journal.jsonl"));
        journal.Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(journal.FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(journal.FilePath + ".lock"));
        Assert.Equal(Common.FileUtil.OwnerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.Equal(Common.FileUtil.OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(folder)!));
    }

    [Fact]
    public void An_existing_folder_of_another_name_is_left_as_it_was_but_ours_is_closed()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDir();
        var shared = Path.Combine(dir.Path, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b111_101_101);
        new OpsJournal(Path.Combine(shared, "journal.jsonl")).Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(shared));

        var ours = Path.Combine(dir.Path, Common.OpsPaths.AppFolder);
        Directory.CreateDirectory(ours);
        File.SetUnixFileMode(ours, (UnixFileMode)0b111_101_101); // as an earlier version left it
        new OpsJournal(Path.Combine(ours, "journal.jsonl")).Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        Assert.Equal(Common.FileUtil.OwnerOnlyFolder, File.GetUnixFileMode(ours));
    }

    [Theory]
    [InlineData("[z-a]")]
    [InlineData("[")]
    public void A_bad_command_pattern_is_a_specific_error_even_without_a_journal(string pattern)
    {
        using var dir = new TempDir();
        var journal = new OpsJournal(Path.Combine(dir.Path, "journal.jsonl"));
        Assert.Equal("WildcardPatternInvalid", Assert.Throws<Common.OpsException>(() => journal.Read(new JournalQuery { Command = new[] { pattern } })).ErrorId);
        journal.Append(Entry("A", "t", JournalOutcome.Succeeded, DateTimeOffset.UtcNow));
        Assert.Equal("WildcardPatternInvalid", Assert.Throws<Common.OpsException>(() => journal.Read(new JournalQuery { Target = new[] { pattern } }).ToList()).ErrorId);
        Assert.Single(journal.Read(new JournalQuery { Command = new[] { "[a-c]" } }));
    }
}
