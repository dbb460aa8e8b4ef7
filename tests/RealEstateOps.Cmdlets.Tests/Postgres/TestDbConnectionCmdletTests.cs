using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using RealEstateOps.Cmdlets.Tests.Support;
using RealEstateOps.Engine.Postgres;

namespace RealEstateOps.Cmdlets.Tests.Postgres;

public class TestDbConnectionCmdletTests
{
    private static Dictionary<string, object?> Vars(string? password = null)
    {
        var admin = TestPostgres.AdminBuilder;
        var secure = new System.Security.SecureString();
        foreach (var ch in password ?? admin.Password!) secure.AppendChar(ch);
        return new() { ["cred"] = new PSCredential(admin.Username!, secure), ["pgport"] = admin.Port, ["pghost"] = admin.Host };
    }

    [Fact]
    public void Accepting_with_a_credential_returns_a_typed_result_and_no_error()
    {
        using var s = new PsSession();
        var r = s.Run("Test-DbConnection -HostName $pghost -Port $pgport -Database postgres -Credential $cred -Verbose", Vars());
        Assert.Empty(r.Errors);
        var result = Assert.Single(r.Objects<DbConnectionResult>());
        Assert.Equal((DbConnectionStatus.Accepting, true), (result.Status, result.Authenticated));
        Assert.Contains(r.Verbose, v => v.StartsWith("HostName: 127.0.0.1 (from parameter -HostName)"));
        Assert.Contains(r.Verbose, v => v == "Password: from -Credential.");
    }

    [Fact]
    public void A_wrong_password_returns_the_result_and_a_specific_error_without_the_password()
    {
        using var s = new PsSession();
        var r = s.Run("Test-DbConnection -HostName $pghost -Port $pgport -Database postgres -Credential $cred", Vars("not-the-password"));
        var result = Assert.Single(r.Objects<DbConnectionResult>());
        Assert.Equal((DbConnectionStatus.Accepting, false), (result.Status, result.Authenticated));
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DbAuthenticationFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Same(result, error.TargetObject);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }

    [Fact]
    public void Quiet_returns_a_boolean_and_writes_no_error()
    {
        using var s = new PsSession();
        var r = s.Run("Test-DbConnection -HostName 127.0.0.1 -Port $freeport -Credential $cred -Quiet; Test-DbConnection -HostName $pghost -Port $pgport -Database postgres -Credential $cred -Quiet",
            new Dictionary<string, object?>(Vars()) { ["freeport"] = RealEstateOps.Engine.Common.Ports.Free() });
        Assert.Empty(r.Errors);
        Assert.Equal(new object[] { false, true }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Values_come_from_the_context_and_verbose_says_so()
    {
        using var s = new PsSession();
        var admin = TestPostgres.AdminBuilder;
        var pgpass = Path.Combine(s.Home, "pgpass");
        File.WriteAllText(pgpass, $"*:*:*:{admin.Username}:{admin.Password}\n");
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var r = s.Run($"Set-OpsContext -Name db -DbHost {admin.Host} -DbPort {admin.Port} -DbName postgres -DbUser {admin.Username} -DbPassFile '{pgpass}' -Use; Test-DbConnection -Verbose");
        Assert.Empty(r.Errors);
        Assert.True(Assert.Single(r.Objects<DbConnectionResult>()).IsReady);
        Assert.Contains(r.Verbose, v => v == $"Port: {admin.Port} (from context 'db').");
        Assert.Contains(r.Verbose, v => v.StartsWith("Password: from the password file"));
        Assert.DoesNotContain(r.Verbose, v => v.Contains(admin.Password!));
    }

    [Fact]
    public void Binds_host_and_port_by_property_name_from_piped_objects()
    {
        using var s = new PsSession();
        var r = s.Run("[pscustomobject]@{ Address = $pghost; Port = $pgport }, [pscustomobject]@{ Address = '127.0.0.1'; Port = $freeport } | Test-DbConnection -Database postgres -Credential $cred -ErrorAction SilentlyContinue",
            new Dictionary<string, object?>(Vars()) { ["freeport"] = RealEstateOps.Engine.Common.Ports.Free() });
        Assert.Equal(new[] { DbConnectionStatus.Accepting, DbConnectionStatus.NoResponse }, r.Objects<DbConnectionResult>().Select(x => x.Status));
    }

    [Theory]
    [InlineData("-HostName 127.0.0.1 -Port 0", "DbPortInvalid", ErrorCategory.InvalidArgument)]
    [InlineData("-HostName 127.0.0.1 -Port 1", "DbConnectionRefused", ErrorCategory.ConnectionError)]
    [InlineData("-ConnectionString 'Host=x;Bogus=1'", "DbConnectionStringInvalid", ErrorCategory.InvalidArgument)]
    public void Bad_input_gives_specific_error_ids(string args, string errorId, ErrorCategory category)
    {
        using var s = new PsSession();
        var r = s.Run($"Test-DbConnection {args} -Timeout 2");
        var error = Assert.Single(r.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Single(r.Objects<DbConnectionResult>());
    }

    [Fact]
    public void Default_context_has_no_host_and_says_how_to_set_one()
    {
        using var s = new PsSession();
        var r = s.Run("Test-DbConnection");
        var error = Assert.Single(r.Errors);
        Assert.StartsWith("DbHostNotConfigured,", error.FullyQualifiedErrorId);
        Assert.Contains("Set-OpsContext -DbHost", error.Exception.Message);
    }

    [Fact]
    public void Timeout_accepts_what_operators_type()
    {
        using var s = new PsSession();
        var r = s.Run("(Get-Command Test-DbConnection).Parameters.Timeout.Attributes | Out-Null; 'ok'");
        Assert.Empty(r.Errors);
        var bad = s.Run("Test-DbConnection -HostName x -Timeout soon");
        Assert.StartsWith("ParameterArgumentTransformationError", Assert.Single(bad.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Stop_cancels_a_wait_at_once()
    {
        using var s = new PsSession();
        var listener = new TcpListener(IPAddress.Loopback, 0); // accepts, never answers
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var ps = s.Begin($"Test-DbConnection -HostName 127.0.0.1 -Port {port} -Timeout 120 -Credential ([pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force)))", out var handle);
            Thread.Sleep(500);
            var watch = Stopwatch.StartNew();
            ps.Stop();
            Assert.True(handle.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {watch.Elapsed}");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }
        finally
        {
            listener.Stop();
        }
    }
}
