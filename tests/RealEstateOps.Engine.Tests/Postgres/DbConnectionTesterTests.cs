using System.Net;
using System.Net.Sockets;
using Npgsql;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Postgres;

public class DbConnectionTesterTests
{
    private static async Task<DbConnectionRequest> Good(Func<DbConnectionRequest, DbConnectionRequest>? change = null)
    {
        var admin = await TestPostgres.AdminAsync();
        var request = new DbConnectionRequest { Host = admin.Host, Port = admin.Port, Database = "postgres", User = admin.Username, Password = admin.Password };
        return change is null ? request : change(request);
    }

    [Fact]
    public async Task Accepting_with_a_good_login_reports_version_latency_and_pgvector()
    {
        var result = await DbConnectionTester.TestAsync(await Good(), CancellationToken.None);
        Assert.Equal(DbConnectionStatus.Accepting, result.Status);
        Assert.True(result.Authenticated);
        Assert.True(result.IsReady);
        Assert.Null(result.ErrorId);
        Assert.Matches(@"^\d+\.\d+", result.ServerVersion);
        Assert.NotNull(result.Latency);
        Assert.False(result.PgVectorInstalled && result.PgVectorVersion is null);
    }

    [Fact]
    public async Task A_wrong_password_is_accepting_but_not_authenticated()
    {
        var g = await Good();
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = g.Host, Port = g.Port, Database = g.Database, User = g.User, Password = "wrong" }, CancellationToken.None);
        Assert.Equal(DbConnectionStatus.Accepting, result.Status);
        Assert.False(result.Authenticated);
        Assert.Equal("DbAuthenticationFailed", result.ErrorId);
        Assert.DoesNotContain("wrong", result.Error);
    }

    [Fact]
    public async Task A_missing_database_is_its_own_error()
    {
        var g = await Good();
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = g.Host, Port = g.Port, Database = "no_such_db", User = g.User, Password = g.Password }, CancellationToken.None);
        Assert.Equal(("DbDatabaseNotFound", DbConnectionStatus.Accepting), (result.ErrorId, result.Status));
    }

    [Fact]
    public async Task No_password_when_one_is_required()
    {
        var g = await Good();
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = g.Host, Port = g.Port, Database = g.Database, User = g.User }, CancellationToken.None);
        Assert.Equal(DbConnectionStatus.Accepting, result.Status);
        Assert.Contains(result.ErrorId, new[] { "DbPasswordMissing", "DbAuthenticationFailed" });
    }

    [Fact]
    public async Task A_missing_password_file_makes_no_attempt()
    {
        var g = await Good();
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = g.Host, Port = g.Port, Database = g.Database, User = g.User, PassFile = "/nonexistent/pgpass" }, CancellationToken.None);
        Assert.Equal(("DbPassFileNotFound", DbConnectionStatus.NoAttempt), (result.ErrorId, result.Status));
    }

    [Fact]
    public async Task A_password_file_supplies_the_password()
    {
        var g = await Good();
        using var dir = new TempDir();
        var passFile = Path.Combine(dir.Path, "pgpass");
        File.WriteAllText(passFile, $"*:{g.Port}:*:{g.User}:{g.Password}\n");
        File.SetUnixFileMode(passFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = g.Host, Port = g.Port, Database = g.Database, User = g.User, PassFile = passFile }, CancellationToken.None);
        Assert.True(result.IsReady, result.Error);
    }

    [Fact]
    public async Task A_password_file_without_a_line_for_the_login_says_so_rather_than_none_was_given()
    {
        var g = await Good();
        using var dir = new TempDir();
        var passFile = Path.Combine(dir.Path, "pgpass");
        File.WriteAllText(passFile, $"*:{g.Port}:some_other_db:{g.User}:{g.Password}\n");
        File.SetUnixFileMode(passFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = g.Host, Port = g.Port, Database = g.Database, User = g.User, PassFile = passFile }, CancellationToken.None);
        Assert.Equal("DbPasswordMissing", result.ErrorId);
        Assert.Contains(passFile, result.Error);
        Assert.Contains($"has no line for {g.User}@", result.Error);
        Assert.DoesNotContain("none was given", result.Error);
    }

    [Fact]
    public async Task A_closed_port_is_no_response_refused()
    {
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = "127.0.0.1", Port = Common.Ports.Free(), User = "x", Password = "y" }, CancellationToken.None);
        Assert.Equal(("DbConnectionRefused", DbConnectionStatus.NoResponse), (result.ErrorId, result.Status));
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_within_the_timeout()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = "127.0.0.1", Port = port, User = "x", Password = "y", Timeout = TimeSpan.FromSeconds(1) }, CancellationToken.None);
            Assert.Equal(("DbConnectionTimeout", DbConnectionStatus.NoResponse), (result.ErrorId, result.Status));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task An_unknown_host_is_no_response()
    {
        using var dir = new Support.TempDir();
        var bundle = Path.Combine(dir.Path, "ca.pem");
        File.WriteAllText(bundle, "");
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = "no-such-host.invalid", Port = 5432, User = "x", Password = "y", SslRootCert = bundle, Environment = _ => null }, CancellationToken.None);
        Assert.Equal(DbConnectionStatus.NoResponse, result.Status);
        Assert.Contains(result.ErrorId, new[] { "DbHostNotFound", "DbHostUnreachable" });
    }

    [Theory]
    [InlineData(0, "DbPortInvalid")]
    [InlineData(70000, "DbPortInvalid")]
    public async Task Invalid_parameters_make_no_attempt(int port, string errorId)
    {
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = "127.0.0.1", Port = port }, CancellationToken.None);
        Assert.Equal((errorId, DbConnectionStatus.NoAttempt), (result.ErrorId, result.Status));
    }

    [Fact]
    public async Task No_host_and_a_bad_connection_string_make_no_attempt()
    {
        Assert.Equal("DbHostNotConfigured", (await DbConnectionTester.TestAsync(new DbConnectionRequest(), CancellationToken.None)).ErrorId);
        var bad = await DbConnectionTester.TestAsync(new DbConnectionRequest { ConnectionString = "Host=x;Password=hunter2;Bogus Key=1" }, CancellationToken.None);
        Assert.Equal(("DbConnectionStringInvalid", DbConnectionStatus.NoAttempt), (bad.ErrorId, bad.Status));
        Assert.DoesNotContain("hunter2", bad.Error);
    }

    [Fact]
    public async Task A_connection_string_is_used_whole()
    {
        var g = await Good();
        var cs = new NpgsqlConnectionStringBuilder { Host = g.Host, Port = g.Port!.Value, Username = g.User, Password = g.Password, Database = "postgres" };
        Assert.True((await DbConnectionTester.TestAsync(new DbConnectionRequest { ConnectionString = cs.ConnectionString }, CancellationToken.None)).IsReady);
    }
}
