using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;
using RealEstateOps.Engine.Rds;
using RealEstateOps.Engine.Sandbox;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Rds;
using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Engine.Tests.Sandbox;

/// <summary>
/// The sandbox's network side refuses what it must: foreign Host headers, control requests without its
/// token, unsigned or wrongly signed S3 and RDS requests, and Kubernetes tokens that are not this start's.
/// </summary>
public class SandboxSecurityTests : IClassFixture<SandboxFixture>
{
    private static readonly RetryPolicy Once = new() { MaxAttempts = 1 };
    private readonly SandboxFixture _sandbox;
    public SandboxSecurityTests(SandboxFixture sandbox) => _sandbox = sandbox;

    private Uri Url(string path) => new(_sandbox.Host.BaseUrl, path);

    /// <summary>A plain client: no control token, no signature.</summary>
    private static HttpClient Plain() => new(new SocketsHttpHandler { AllowAutoRedirect = false });

    // ------------------------------------------------------------------ Host header

    [Theory]
    [InlineData("evil.example", false)]
    [InlineData("evil.example:{port}", false)]
    [InlineData("localhost.evil.example:{port}", false)]
    [InlineData("127.0.0.1.nip.io:{port}", false)]
    [InlineData("127.0.0.2:{port}", false)]
    [InlineData("127.0.0.1:1", false)]
    [InlineData("localhost:{port}0", false)]
    [InlineData("localhost:", false)]
    [InlineData("localhost:-1", false)]
    [InlineData("127.0.0.1:{port}", true)]
    [InlineData("localhost:{port}", true)]
    [InlineData("LOCALHOST:{port}", true)]
    [InlineData("[::1]:{port}", true)]
    [InlineData("localhost", true)]
    [InlineData("[::1]", true)]
    public async Task Only_loopback_Host_headers_on_the_sandbox_port_are_answered(string host, bool allowed)
    {
        var port = _sandbox.Host.BaseUrl.Port;
        host = host.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(allowed, HostFilter.IsAllowed(host, port));

        using var http = Plain();
        using var request = new HttpRequestMessage(HttpMethod.Get, Url("_sandbox/health"));
        Assert.True(request.Headers.TryAddWithoutValidation("Host", host));
        using var response = await http.SendAsync(request);
        if (allowed) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        else if (response.StatusCode != HttpStatusCode.BadRequest) // Kestrel itself refuses a malformed Host (a bad port)
        {
            Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
            Assert.Contains("DNS rebinding", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_foreign_Host_is_refused_before_any_service_sees_the_request()
    {
        // Even a correctly signed S3 request and a valid control token are refused under a foreign name.
        using var http = Plain();
        using var control = new HttpRequestMessage(HttpMethod.Post, Url("_sandbox/shutdown"));
        control.Headers.Host = "rebound.attacker.example:" + _sandbox.Host.BaseUrl.Port;
        control.Headers.Add(ControlToken.HeaderName, _sandbox.Secrets.ControlToken);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await http.SendAsync(control)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Url("_sandbox/health"))).StatusCode); // still running
    }

    // ------------------------------------------------------------------ control endpoints

    [Fact]
    public async Task Control_endpoints_refuse_requests_without_the_token_or_with_a_wrong_one()
    {
        using var http = Plain();
        foreach (var (method, path) in new[] { ("GET", "_sandbox/info"), ("GET", "_sandbox/requests"), ("PUT", "_sandbox/faults/s3"), ("DELETE", "_sandbox/faults"),
                     ("PUT", "_sandbox/clock"), ("POST", "_sandbox/s3/populate"), ("POST", "_sandbox/rds/snapshots"), ("POST", "_sandbox/kubernetes/seed/pods"), ("POST", "_sandbox/shutdown") })
        {
            foreach (var token in new[] { null, "wrong-token", _sandbox.Secrets.ControlToken[..^1] })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(path)) { Content = new StringContent("{\"errorRate\":1,\"speed\":1000,\"bucket\":\"x-no\",\"keys\":1,\"count\":1}", Encoding.UTF8, "application/json") };
                if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(token is null ? "SandboxControlTokenMissing" : "SandboxControlTokenInvalid", (string?)body["code"]);
            }
        }
        // Nothing changed: the shutdown was refused, the clock and faults are untouched.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Url("_sandbox/health"))).StatusCode);
        Assert.Equal(1.0, _sandbox.Host.Context.Clock.Speed);
        Assert.Equal("{}", (await _sandbox.Http.GetStringAsync("_sandbox/faults")).Replace(" ", ""));
    }

    [Fact]
    public async Task Control_endpoints_accept_the_token_as_a_bearer_or_in_X_Sandbox_Token()
    {
        using var http = Plain();
        using var bearer = new HttpRequestMessage(HttpMethod.Get, Url("_sandbox/requests"));
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _sandbox.Secrets.ControlToken);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(bearer)).StatusCode);
        using var header = new HttpRequestMessage(HttpMethod.Get, Url("_sandbox/info"));
        header.Headers.Add(ControlToken.HeaderName, _sandbox.Secrets.ControlToken);
        using var info = await http.SendAsync(header);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
        var text = await info.Content.ReadAsStringAsync();
        foreach (var secret in new[] { _sandbox.Secrets.ControlToken, _sandbox.Secrets.SecretAccessKey, _sandbox.Secrets.KubeAdminToken }) Assert.DoesNotContain(secret, text);
        // Only the liveness probe answers without it.
        Assert.Equal("""{"status":"ok"}""", await http.GetStringAsync(Url("_sandbox/health")));
    }

    [Fact]
    public void Secrets_are_random_for_each_start_and_long()
    {
        var a = SandboxSecrets.Generate();
        var b = SandboxSecrets.Generate();
        Assert.NotEqual(a.ControlToken, b.ControlToken);
        Assert.NotEqual(a.SecretAccessKey, b.SecretAccessKey);
        Assert.NotEqual(a.KubeAdminToken, b.KubeAdminToken);
        Assert.Equal(43, a.ControlToken.Length); // 32 random bytes, base64url
        Assert.Equal(40, a.SecretAccessKey.Length);
        Assert.Equal(SandboxSecrets.AccessKeyIdValue, a.AccessKeyId);
        Assert.NotEqual(a.KubeAdminToken, a.KubeReadOnlyToken);
    }

    [Fact]
    public void The_sandbox_publishes_its_clients_files_0600_and_an_info_file_that_names_them_without_a_secret()
    {
        using var temp = new TempDir();
        var infoFile = Path.Combine(temp.Path, "sandbox-info.json");
        _sandbox.Host.Publish(infoFile);
        var secrets = _sandbox.Secrets;
        var info = SandboxInfo.Read(infoFile);
        Assert.NotNull(info);
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var file in new[] { infoFile, info!.ControlTokenFile, info.AwsCredentialsFile, info.Kubeconfig })
            Assert.Equal(ownerOnly, File.GetUnixFileMode(file));
        Assert.Equal((_sandbox.Host.BaseUrl.ToString(), _sandbox.Host.BaseUrl.Port, Environment.ProcessId), (info.Url, info.Port, info.ProcessId));
        Assert.Equal((_sandbox.Host.Platform.Database, _sandbox.Host.Platform.PassFile), (info.DbName, info.DbPassFile));
        Assert.Equal(("sandbox", "us-east-1"), (info.AwsProfile, info.Region));
        Assert.Equal(secrets.ControlToken, File.ReadAllText(info.ControlTokenFile).Trim());
        var credentials = File.ReadAllText(info.AwsCredentialsFile);
        Assert.Contains($"[sandbox]\naws_access_key_id = {secrets.AccessKeyId}\naws_secret_access_key = {secrets.SecretAccessKey}\n", credentials);
        Assert.Contains($"[sandbox-readonly]\naws_access_key_id = {secrets.ReadOnlyAccessKeyId}\naws_secret_access_key = {secrets.ReadOnlySecretAccessKey}\n", credentials);
        var kubeconfig = File.ReadAllText(info.Kubeconfig);
        Assert.Contains($"server: {_sandbox.Host.TlsUrl.ToString().TrimEnd('/')}\n", kubeconfig);
        Assert.Contains($"token: \"{secrets.KubeAdminToken}\"", kubeconfig);
        Assert.Contains($"token: \"{secrets.KubeReadOnlyToken}\"", kubeconfig);
        var authority = kubeconfig.Split('\n').Single(l => l.Trim().StartsWith("certificate-authority-data:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        Assert.Equal(SandboxCertificate.PemOf(_sandbox.Host.Certificate), Encoding.ASCII.GetString(Convert.FromBase64String(authority)));
        // The description itself holds no secret: only the files it names do.
        var text = File.ReadAllText(infoFile);
        foreach (var secret in new[] { secrets.ControlToken, secrets.SecretAccessKey, secrets.ReadOnlySecretAccessKey, secrets.KubeAdminToken, secrets.KubeReadOnlyToken, _sandbox.Host.Platform.Password })
            Assert.DoesNotContain(secret, text);
    }

    // ------------------------------------------------------------------ S3

    [Fact]
    public async Task S3_refuses_an_unsigned_request_and_changes_nothing()
    {
        using var http = Plain();
        var bucket = S3Sandbox.NewBucket("t-unsigned");
        using var put = await http.PutAsync(Url(bucket), new StringContent(""));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await put.Content.ReadAsStringAsync());
        using var list = await http.GetAsync(Url(""));
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var del = await http.DeleteAsync(Url("real-estate-ai-assets/properties/prop-001/deed.pdf"));
        Assert.Equal(HttpStatusCode.Forbidden, del.StatusCode);

        using var s3 = S3Sandbox.Client(_sandbox.Host);
        Assert.DoesNotContain((await s3.ListBucketsAsync()).Buckets, b => b.BucketName == bucket);
    }

    [Fact]
    public async Task S3_refuses_a_wrong_secret_and_an_unknown_key_in_its_own_codes()
    {
        var bucket = S3Sandbox.NewBucket("t-wrong");
        using var wrong = S3ClientFactory(_sandbox.Target("s3", secret: "not-the-secret-of-this-start-000000000000"));
        var mismatch = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrong.PutBucketAsync(bucket));
        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (mismatch.ErrorCode, mismatch.StatusCode));

        using var unknown = S3ClientFactory(_sandbox.Target("s3", accessKey: "AKIANOTASANDBOXKEY00", secret: _sandbox.Secrets.SecretAccessKey));
        var invalid = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => unknown.ListBucketsAsync());
        Assert.Equal(("InvalidAccessKeyId", HttpStatusCode.Forbidden), (invalid.ErrorCode, invalid.StatusCode));

        // The fixed secret of earlier versions is no longer accepted either.
        using var old = S3ClientFactory(_sandbox.Target("s3", secret: "sandbox/secret/key/not/a/real/one/0000000"));
        Assert.Equal("SignatureDoesNotMatch", (await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => old.ListBucketsAsync())).ErrorCode);

        using var right = S3Sandbox.Client(_sandbox.Host);
        Assert.DoesNotContain((await right.ListBucketsAsync()).Buckets, b => b.BucketName == bucket);
    }

    [Fact]
    public async Task S3_accepts_the_SDK_with_this_starts_keys_for_awkward_keys_queries_and_uploads()
    {
        using var s3 = S3Sandbox.Client(_sandbox.Host);
        var bucket = S3Sandbox.NewBucket("t-signed");
        await s3.PutBucketAsync(bucket);
        var keys = new[] { "plain.txt", "with space/and+plus.txt", "ünïcödé/ключ.pdf", "odd!'()*~@$&=;:,.txt", "a//double/slash" };
        foreach (var key in keys)
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body of " + key });
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "with space/", Delimiter = "/" });
        Assert.Single(listed.S3Objects);
        foreach (var key in keys)
        {
            using var get = await s3.GetObjectAsync(bucket, key);
            Assert.Equal("body of " + key, await new StreamReader(get.ResponseStream).ReadToEndAsync());
        }
        var multipart = await s3.InitiateMultipartUploadAsync(bucket, "big.bin");
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big.bin", UploadId = multipart.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[5 * 1024 * 1024]) });
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "big.bin", UploadId = multipart.UploadId, PartETags = new() { new PartETag(1, part.ETag) } });
        Assert.Equal(5 * 1024 * 1024, (await s3.GetObjectMetadataAsync(bucket, "big.bin")).ContentLength);
    }

    [Fact]
    public async Task S3_presigned_URLs_work_until_tampered_with()
    {
        using var s3 = S3Sandbox.Client(_sandbox.Host);
        var bucket = S3Sandbox.NewBucket("t-presign");
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "shared file.txt", ContentBody = "shared" });
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "shared file.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        using var http = Plain();
        Assert.Equal("shared", await http.GetStringAsync(url));
        var tampered = url.Replace("X-Amz-Signature=", "X-Amz-Signature=0", StringComparison.Ordinal)[..url.Length];
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(tampered)).StatusCode);
        var otherKey = url.Replace("shared%20file.txt", "other.txt", StringComparison.Ordinal);
        using var other = await http.GetAsync(otherKey);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await other.Content.ReadAsStringAsync());
    }

    // ------------------------------------------------------------------ RDS

    [Fact]
    public async Task RDS_refuses_an_unsigned_form_post_such_as_a_browser_could_send()
    {
        var snapshot = "unsigned-" + Guid.NewGuid().ToString("N")[..8];
        using var http = Plain();
        using var response = await http.PostAsync(Url(""), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "CreateDBSnapshot", ["Version"] = "2014-10-31", ["DBInstanceIdentifier"] = RdsService.SeedInstanceId, ["DBSnapshotIdentifier"] = snapshot,
        }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", body);
        Assert.Contains("<ErrorResponse", body);

        using var rds = RdsClient.Create(_sandbox.Target("rds"), Once);
        Assert.DoesNotContain((await rds.DescribeDBSnapshotsAsync(null, null, "manual", null, null, null, default)).Items, s => s.SnapshotId == snapshot);
    }

    [Fact]
    public async Task RDS_refuses_a_wrong_secret_and_an_unknown_key_and_accepts_our_signing()
    {
        var snapshot = "wrong-" + Guid.NewGuid().ToString("N")[..8];
        using var wrong = RdsClient.Create(_sandbox.Target("rds", secret: "not-the-secret-of-this-start-000000000000"), Once);
        var mismatch = await Assert.ThrowsAsync<OpsException>(() => wrong.CreateDBSnapshotAsync(RdsService.SeedInstanceId, snapshot, null, default));
        Assert.Equal("SignatureDoesNotMatch", mismatch.ErrorId);
        Assert.Equal(OpsErrorCategory.AuthenticationError, mismatch.Category);

        using var unknown = RdsClient.Create(_sandbox.Target("rds", accessKey: "AKIANOTASANDBOXKEY00", secret: _sandbox.Secrets.SecretAccessKey), Once);
        Assert.Equal("InvalidClientTokenId", (await Assert.ThrowsAsync<OpsException>(() => unknown.DescribeDBInstancesAsync(null, null, null, default))).ErrorId);

        // A signature over another body (the signed form altered on the way) does not match either.
        using var tamper = new HttpClient(new RetryHandler(Once, new Amazon.Runtime.Signing.SigV4SigningHandler(_sandbox.Target("rds").Credentials, Amazon.RegionEndpoint.USEast1, "rds",
            new AlterBody(new SocketsHttpHandler()))));
        using var altered = await tamper.PostAsync(Url(""), new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DescribeDBInstances", ["Version"] = "2014-10-31" }));
        Assert.Equal(HttpStatusCode.Forbidden, altered.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await altered.Content.ReadAsStringAsync());

        using var right = RdsClient.Create(_sandbox.Target("rds"), Once);
        Assert.Contains((await right.DescribeDBInstancesAsync(null, null, null, default)).Items, i => i.DbInstanceId == RdsService.SeedInstanceId);
        Assert.DoesNotContain((await right.DescribeDBSnapshotsAsync(null, null, "manual", null, null, null, default)).Items, s => s.SnapshotId == snapshot);
    }

    /// <summary>Changes the body after it was signed, as a man in the middle would.</summary>
    private sealed class AlterBody(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var text = await request.Content!.ReadAsStringAsync(ct);
            var content = new StringContent(text.Replace("DescribeDBInstances", "DescribeDBSnapshots"), Encoding.UTF8, "application/x-www-form-urlencoded");
            content.Headers.ContentType!.CharSet = null;
            request.Content = content;
            return await base.SendAsync(request, ct);
        }
    }

    // ------------------------------------------------------------------ Kubernetes

    [Fact]
    public async Task Kubernetes_refuses_the_old_fixed_token_a_wrong_one_and_none_with_a_Status()
    {
        using var http = Plain();
        foreach (var token in new[] { "sandbox-admin-token", "sandbox-readonly-token", "wrong", null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url("api/v1/namespaces/real-estate-ai/pods"));
            if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(("Status", "Failure", "Unauthorized", 401), ((string?)status["kind"], (string?)status["status"], (string?)status["reason"], (int?)status["code"]));
        }
        using var delete = new HttpRequestMessage(HttpMethod.Delete, Url("api/v1/nodes/ip-10-0-1-21.ec2.internal"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(delete)).StatusCode);

        // This start's tokens work; anonymous users see only the version and health, as on a real cluster.
        using var admin = new HttpRequestMessage(HttpMethod.Get, Url("api/v1/namespaces/real-estate-ai/pods"));
        admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _sandbox.Secrets.KubeAdminToken);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Url("version"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Url("healthz"))).StatusCode);
    }

    // ------------------------------------------------------------------ the verifier on its own

    [Fact]
    public async Task The_verifier_accepts_the_SDK_signer_within_15_minutes_of_the_real_clock_only()
    {
        var secrets = SandboxSecrets.Generate();
        var credentials = new Amazon.Runtime.BasicAWSCredentials(secrets.AccessKeyId, secrets.SecretAccessKey);
        async Task<SigV4Result> Verify(TimeSpan clockOffset, string service = "rds")
        {
            var verifier = new SigV4Verifier(secrets.SecretFor, new ShiftedTime(clockOffset));
            var capture = new Capture(verifier);
            using var client = new HttpClient(new Amazon.Runtime.Signing.SigV4SigningHandler(credentials, Amazon.RegionEndpoint.USEast1, service, capture));
            await client.PostAsync("http://127.0.0.1:4566/", new FormUrlEncodedContent(new Dictionary<string, string> { ["Action"] = "DescribeDBInstances", ["Version"] = "2014-10-31" }));
            return capture.Result!;
        }
        Assert.True((await Verify(TimeSpan.Zero)).Ok);
        Assert.True((await Verify(TimeSpan.FromMinutes(14))).Ok);
        Assert.True((await Verify(TimeSpan.FromMinutes(-14))).Ok);
        Assert.Equal(SigV4Failure.Skewed, (await Verify(TimeSpan.FromMinutes(16))).Failure);
        Assert.Equal(SigV4Failure.Skewed, (await Verify(TimeSpan.FromMinutes(-16))).Failure);
    }

    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }

    /// <summary>Ends the client pipeline: turns the signed request into an ASP.NET Core request and verifies it.</summary>
    private sealed class Capture(SigV4Verifier verifier) : HttpMessageHandler
    {
        public SigV4Result? Result { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var http = new DefaultHttpContext();
            var uri = request.RequestUri!;
            http.Request.Method = request.Method.Method;
            http.Request.Scheme = uri.Scheme;
            http.Request.Host = new HostString(uri.Authority);
            http.Request.Path = PathString.FromUriComponent(uri.AbsolutePath);
            http.Request.QueryString = new QueryString(uri.Query);
            http.Features.Get<IHttpRequestFeature>()!.RawTarget = uri.PathAndQuery;
            foreach (var (k, v) in request.Headers) http.Request.Headers[k] = v.ToArray();
            if (!request.Headers.Contains("Host")) http.Request.Headers.Host = uri.Authority;
            var body = request.Content is null ? Array.Empty<byte>() : await request.Content.ReadAsByteArrayAsync(ct);
            if (request.Content is not null) foreach (var (k, v) in request.Content.Headers) http.Request.Headers[k] = v.ToArray();
            http.Request.Body = new MemoryStream(body);
            Result = await verifier.VerifyAsync(http.Request, ct);
            return new HttpResponseMessage(Result.Ok ? HttpStatusCode.OK : HttpStatusCode.Forbidden);
        }
    }

    private static AmazonS3Client S3ClientFactory(AwsTarget target) => Engine.S3.S3ClientFactory.Create(target, Once);
}
