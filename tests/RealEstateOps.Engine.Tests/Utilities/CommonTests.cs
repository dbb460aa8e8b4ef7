using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Tests.Utilities;

public class CommonTests
{
    [Theory]
    [InlineData("30", 30)]
    [InlineData("1.5", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("1d", 86400)]
    [InlineData("00:10:00", 600)]
    public void Durations_parse_as_operators_type_them(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("")]
    [InlineData("5x")]
    public void Nonsense_durations_are_rejected(string text) => Assert.False(Duration.TryParse(text, out _));

    [Theory]
    [InlineData("manual-backup-2026*", "manual-backup-20261128", true)]
    [InlineData("manual-backup-2026*", "rds:real-estate-ai-db-2026", false)]
    [InlineData("api-?ervice", "api-service", true)]
    [InlineData("[ab]uth-service", "auth-service", true)]
    [InlineData("API-SERVICE", "api-service", true)]
    [InlineData("a.b", "axb", false)]
    public void Wildcards_match_like_powershell(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(value, pattern));

    // Each case as PowerShell 7's [WildcardPattern]::new(pattern, 'IgnoreCase').IsMatch(value) answers it.
    [Theory]
    [InlineData("ab[\\]", "ab\\", true)]
    [InlineData("a]b", "a]b", true)]
    [InlineData("[]]", "]", true)]
    [InlineData("[]a]", "a", true)]
    [InlineData("[a-]", "-", true)]
    [InlineData("[-a]", "-", true)]
    [InlineData("[!a]", "!", true)]
    [InlineData("[!a]", "b", false)]
    [InlineData("[^a]", "^", true)]
    [InlineData("a`*", "a*", true)]
    [InlineData("a`*", "ab", false)]
    [InlineData("a``b", "a`b", true)]
    [InlineData("[a`]]", "]", true)]
    [InlineData("[a-c-e]", "-", true)]
    [InlineData("[a-c-e]", "d", false)]
    [InlineData("[a`-c]", "b", false)]
    [InlineData("[`a-c]", "b", true)]
    [InlineData("[--0]", "/", true)]
    [InlineData("[A-Z]", "q", true)]
    [InlineData("`", "", true)]
    [InlineData("a`", "a`", true)]
    [InlineData("[*]", "*", true)]
    [InlineData("[*]", "x", false)]
    [InlineData("a.b", "a.b", true)]
    [InlineData("x(y)+", "x(y)+", true)]
    public void Wildcards_follow_powershells_bracket_and_escape_rules(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(value, pattern));

    [Theory]
    [InlineData("[z-a]")]
    [InlineData("[")]
    [InlineData("a[b")]
    [InlineData("[]")]
    [InlineData("*[")]
    [InlineData("[a-z")]
    public void Bad_wildcards_are_a_specific_error_not_a_regex_crash(string pattern)
    {
        var ex = Assert.Throws<OpsException>(() => Wildcard.ToRegex(pattern));
        Assert.Equal(("WildcardPatternInvalid", OpsErrorCategory.InvalidArgument, (object?)pattern), (ex.ErrorId, ex.Category, ex.Target));
        Assert.Throws<OpsException>(() => Wildcard.IsMatch("x", pattern));
    }

    [Fact]
    public void Redaction_finds_secret_names_and_scrubs_connection_strings()
    {
        Assert.True(Redaction.IsSecretName("DbPassword"));
        Assert.True(Redaction.IsSecretName("ConnectionString"));
        Assert.False(Redaction.IsSecretName("DbHost"));
        Assert.Equal("Host=db;Password=***;Port=5432", Redaction.ScrubConnectionString("Host=db;Password=s3cr3t;Port=5432"));
        Assert.Equal("host=db; pwd=***", Redaction.ScrubConnectionString("host=db; pwd='a;b'"));
    }

    [Fact]
    public void Atomic_write_replaces_whole_and_can_restrict_to_the_owner()
    {
        using var dir = new Support.TempDir();
        var path = Path.Combine(dir.Path, "sub", "file.txt");
        FileUtil.WriteAtomic(path, "one", ownerOnly: true);
        FileUtil.WriteAtomic(path, "two", ownerOnly: true);
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
