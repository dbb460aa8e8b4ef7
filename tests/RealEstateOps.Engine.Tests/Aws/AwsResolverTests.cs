using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Aws;

public class AwsResolverTests
{
    private static ActiveContext Context(OpsContext stored) =>
        new(new(stored.Name, "test"), stored, ContextSettings.Merge(stored, OpsContext.BuiltInDefault()));

    private static string CredentialsFile(TempDir dir, string profile = "ops")
    {
        var path = Path.Combine(dir.Path, "credentials");
        File.WriteAllText(path, $"[{profile}]\naws_access_key_id = AKIAEXAMPLE000000000\naws_secret_access_key = secret/example\n");
        return path;
    }

    [Fact]
    public void Parameters_win_over_the_context_and_every_value_names_its_source()
    {
        using var dir = new TempDir();
        var stored = new OpsContext { Name = "ops", Region = "eu-west-1", ProfileName = "ops", AwsCredentialsFile = CredentialsFile(dir) };
        stored.Endpoints["s3"] = "http://127.0.0.1:9000";
        var env = new Dictionary<string, string?> { ["AWS_REGION"] = "ap-south-1" };

        var fromContext = AwsResolver.Resolve("s3", new AwsParameters(), Context(stored), k => env.GetValueOrDefault(k));
        Assert.Equal(new Resolved<string>("eu-west-1", "context 'ops'"), fromContext.Region);
        Assert.Equal(new Resolved<string>("http://127.0.0.1:9000", "context 'ops'"), fromContext.Endpoint);
        Assert.Contains("profile 'ops'", fromContext.CredentialSource);
        Assert.Equal("AKIAEXAMPLE000000000", fromContext.Credentials.GetCredentials().AccessKey);
        Assert.Equal(new Uri("http://127.0.0.1:9000/"), fromContext.BaseUri);

        var explicitOnes = AwsResolver.Resolve("s3", new AwsParameters("us-west-2", null, "http://127.0.0.1:9999"), Context(stored), k => env.GetValueOrDefault(k));
        Assert.Equal(new Resolved<string>("us-west-2", "parameter -Region"), explicitOnes.Region);
        Assert.Equal("parameter -EndpointUrl", explicitOnes.Endpoint!.Value.Source);
        Assert.DoesNotContain(explicitOnes.Describe(), line => line.Contains("secret/example"));
    }

    [Fact]
    public void Environment_region_beats_the_builtin_default_and_aws_endpoints_are_regional()
    {
        using var dir = new TempDir();
        var stored = new OpsContext { Name = "bare", ProfileName = "ops", AwsCredentialsFile = CredentialsFile(dir) };
        var env = new Dictionary<string, string?> { ["AWS_DEFAULT_REGION"] = "ca-central-1" };
        var target = AwsResolver.Resolve("rds", new AwsParameters(), Context(stored), k => env.GetValueOrDefault(k));
        Assert.Equal(new Resolved<string>("ca-central-1", "environment variable AWS_DEFAULT_REGION"), target.Region);
        Assert.Null(target.Endpoint);
        Assert.Equal(new Uri("https://rds.ca-central-1.amazonaws.com/"), target.BaseUri);

        var builtIn = AwsResolver.Resolve("rds", new AwsParameters(), Context(stored), _ => null);
        Assert.Equal(new Resolved<string>("us-east-1", "built-in default"), builtIn.Region);

        var perService = AwsResolver.Resolve("eks", new AwsParameters(), Context(stored), k => k == "AWS_ENDPOINT_URL_EKS" ? "http://127.0.0.1:1234" : null);
        Assert.Equal(new Resolved<string>("http://127.0.0.1:1234", "environment variable AWS_ENDPOINT_URL_EKS"), perService.Endpoint);
    }

    [Fact]
    public void A_missing_profile_is_fatal_with_its_own_id()
    {
        using var dir = new TempDir();
        var stored = new OpsContext { Name = "ops", ProfileName = "nope", AwsCredentialsFile = CredentialsFile(dir) };
        var ex = Assert.Throws<OpsException>(() => AwsResolver.Resolve("s3", new AwsParameters(), Context(stored), _ => null));
        Assert.Equal(("AwsProfileNotFound", true), (ex.ErrorId, ex.IsFatal));
    }

    [Theory]
    [InlineData("mars-1", null, "AwsRegionInvalid")]
    [InlineData(null, "ftp://x", "AwsEndpointInvalid")]
    public void Bad_region_or_endpoint_is_rejected(string? region, string? endpoint, string errorId)
    {
        using var dir = new TempDir();
        var stored = new OpsContext { Name = "ops", ProfileName = "ops", AwsCredentialsFile = CredentialsFile(dir) };
        var ex = Assert.Throws<OpsException>(() => AwsResolver.Resolve("s3", new AwsParameters(region, null, endpoint), Context(stored), _ => null));
        Assert.Equal(errorId, ex.ErrorId);
    }

    [Fact]
    public void Aws_errors_keep_the_aws_code_message_and_request_id()
    {
        var ex = AwsErrors.From("DBSnapshotNotFound", "DBSnapshot manual-x not found.", System.Net.HttpStatusCode.NotFound, "req-123", "manual-x");
        Assert.Equal(("DBSnapshotNotFound", OpsErrorCategory.ObjectNotFound, "manual-x"), (ex.ErrorId, ex.Category, (string)ex.Target!));
        Assert.Contains("DBSnapshot manual-x not found", ex.Message);
        Assert.Contains("request id req-123", ex.Message);
        Assert.Equal(OpsErrorCategory.ResourceExists, AwsErrors.From("DBSnapshotAlreadyExists", "x", System.Net.HttpStatusCode.BadRequest, null, null).Category);
        Assert.Equal(OpsErrorCategory.LimitsExceeded, AwsErrors.From("Throttling", "x", System.Net.HttpStatusCode.BadRequest, null, null).Category);
        Assert.Equal(OpsErrorCategory.InvalidOperation, AwsErrors.From("InvalidDBInstanceState", "x", System.Net.HttpStatusCode.BadRequest, null, null).Category);
        Assert.Equal(OpsErrorCategory.PermissionDenied, AwsErrors.From("AccessDenied", "x", System.Net.HttpStatusCode.Forbidden, null, null).Category);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000")]
    [InlineData("http://127.8.9.10:9000")]
    [InlineData("http://localhost:4566")]
    [InlineData("http://[::1]:4566")]
    [InlineData("https://s3.example.internal")]
    public void Plain_http_is_accepted_for_loopback_hosts_and_https_anywhere(string url)
    {
        using var dir = new TempDir();
        var stored = new OpsContext { Name = "ops", ProfileName = "ops", AwsCredentialsFile = CredentialsFile(dir) };
        Assert.Equal(url, AwsResolver.Resolve("s3", new AwsParameters(EndpointUrl: url), Context(stored), _ => null).Endpoint!.Value.Value);
    }

    [Theory]
    [InlineData("http://s3.example.internal")]
    [InlineData("http://10.0.0.5:9000")]
    [InlineData("http://128.0.0.1:9000")]
    [InlineData("http://localhost.example.com")]
    public void Plain_http_to_another_host_is_refused_unless_allowed_for_the_command(string url)
    {
        using var dir = new TempDir();
        var stored = new OpsContext { Name = "ops", ProfileName = "ops", AwsCredentialsFile = CredentialsFile(dir) };
        var ex = Assert.Throws<OpsException>(() => AwsResolver.Resolve("s3", new AwsParameters(EndpointUrl: url), Context(stored), _ => null));
        Assert.Equal(("EndpointInsecure", OpsErrorCategory.InvalidArgument, true), (ex.ErrorId, ex.Category, ex.IsFatal));
        Assert.Contains("-AllowInsecureEndpoint", ex.Message);

        // The same from the context's Endpoints and from the environment.
        var withEndpoint = new OpsContext { Name = "ops", ProfileName = "ops", AwsCredentialsFile = stored.AwsCredentialsFile };
        withEndpoint.Endpoints["s3"] = url;
        Assert.Equal("EndpointInsecure", Assert.Throws<OpsException>(() => AwsResolver.Resolve("s3", new AwsParameters(), Context(withEndpoint), _ => null)).ErrorId);
        Assert.Equal("EndpointInsecure", Assert.Throws<OpsException>(() => AwsResolver.Resolve("s3", new AwsParameters(), Context(stored), k => k == "AWS_ENDPOINT_URL" ? url : null)).ErrorId);

        var allowed = AwsResolver.Resolve("s3", new AwsParameters(AllowInsecureEndpoint: true), Context(withEndpoint), _ => null);
        Assert.Equal(url, allowed.Endpoint!.Value.Value);
    }
}
