using Npgsql;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Postgres;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Postgres;

/// <summary>TLS for Npgsql and for pg_dump/pg_restore, decided by one function: loopback, remote, the operator's own settings.</summary>
public class PgSslTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        k => vars.FirstOrDefault(v => v.Key == k).Value;

    private static Dictionary<string, string?> PgEnvironment(DbConnectionRequest request)
    {
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        return PgTools.ConnectionEnvironment(builder, null, ssl);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("::1")]
    [InlineData("/var/run/postgresql")]
    public void A_host_on_this_machine_prefers_tls_and_needs_no_bundle(string host)
    {
        var request = new DbConnectionRequest { Host = host, Environment = Env() };
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        Assert.Equal(("prefer", SslMode.Prefer), (ssl.Mode, builder.SslMode));
        var env = PgEnvironment(request);
        Assert.Equal("prefer", env["PGSSLMODE"]);
        Assert.False(env.ContainsKey("PGSSLROOTCERT"));
    }

    [Fact]
    public void A_remote_host_verifies_the_server_against_the_contexts_bundle()
    {
        using var dir = new TempDir();
        var bundle = Path.Combine(dir.Path, "rds-global-bundle.pem");
        File.WriteAllText(bundle, "");
        var request = new DbConnectionRequest { Host = "real-estate-ai-db.abc123.us-east-1.rds.amazonaws.com", SslRootCert = bundle, Environment = Env() };
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        Assert.Equal((SslMode.VerifyFull, bundle), (builder.SslMode, builder.RootCertificate));
        Assert.Equal("verify-full", ssl.Mode);
        var env = PgEnvironment(request);
        Assert.Equal(("verify-full", bundle), (env["PGSSLMODE"], env["PGSSLROOTCERT"]));
    }

    [Fact]
    public void A_remote_host_without_a_bundle_is_refused_with_what_to_do()
    {
        var request = new DbConnectionRequest { Host = "10.0.4.17", Environment = Env() };
        var ex = Assert.Throws<OpsException>(() => DbConnectionTester.BuildConnection(request));
        Assert.Equal(("DbSslRootCertMissing", OpsErrorCategory.InvalidArgument), (ex.ErrorId, ex.Category));
        Assert.Contains("-DbSslRootCert", ex.Message);
        Assert.Contains(PgSsl.RdsBundleUrl, ex.Message);

        var missing = Assert.Throws<OpsException>(() => DbConnectionTester.BuildConnection(new DbConnectionRequest { Host = "10.0.4.17", SslRootCert = "/no/such/bundle.pem", Environment = Env() }));
        Assert.Equal("DbSslRootCertNotFound", missing.ErrorId);
    }

    [Fact]
    public async Task The_missing_bundle_is_a_no_attempt_result_of_test_db_connection()
    {
        var result = await DbConnectionTester.TestAsync(new DbConnectionRequest { Host = "db.example.com", Environment = Env() }, CancellationToken.None);
        Assert.Equal(("DbSslRootCertMissing", DbConnectionStatus.NoAttempt), (result.ErrorId, result.Status));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("db.example.com")]
    public void The_operators_own_pgsslmode_and_root_cert_are_never_overridden(string host)
    {
        using var dir = new TempDir();
        var contextBundle = Path.Combine(dir.Path, "context.pem");
        File.WriteAllText(contextBundle, "");
        var operatorBundle = Path.Combine(dir.Path, "operator.pem");
        File.WriteAllText(operatorBundle, "");
        var request = new DbConnectionRequest { Host = host, SslRootCert = contextBundle, Environment = Env(("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", operatorBundle)) };
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        Assert.True(ssl.ModeFromOperator && ssl.RootCertFromOperator);
        Assert.Equal((SslMode.VerifyFull, operatorBundle), (builder.SslMode, builder.RootCertificate));
        // pg_dump/pg_restore inherit the operator's variables: we set neither.
        var env = PgEnvironment(request);
        Assert.False(env.ContainsKey("PGSSLMODE"));
        Assert.False(env.ContainsKey("PGSSLROOTCERT"));
    }

    [Fact]
    public void An_operator_who_lowers_the_mode_for_a_remote_host_needs_no_bundle()
    {
        var request = new DbConnectionRequest { Host = "db.example.com", Environment = Env(("PGSSLMODE", "require")) };
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        Assert.Equal((SslMode.Require, "require"), (builder.SslMode, ssl.Mode));
        Assert.False(PgEnvironment(request).ContainsKey("PGSSLMODE"));
        Assert.Equal("DbSslModeInvalid", Assert.Throws<OpsException>(() => DbConnectionTester.BuildConnection(
            new DbConnectionRequest { Host = "db.example.com", Environment = Env(("PGSSLMODE", "sometimes")) })).ErrorId);
    }

    [Fact]
    public void An_ssl_mode_written_in_the_connection_string_is_explicit()
    {
        var request = new DbConnectionRequest { ConnectionString = "Host=db.example.com;Username=ops;SSL Mode=Require", Environment = Env() };
        var (builder, ssl) = DbConnectionTester.BuildConnection(request);
        Assert.Equal((SslMode.Require, "the connection string"), (builder.SslMode, ssl.ModeSource));
        Assert.Equal("require", PgEnvironment(request)["PGSSLMODE"]);
    }
}
