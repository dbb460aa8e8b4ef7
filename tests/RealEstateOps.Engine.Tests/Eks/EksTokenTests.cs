using System.Text;
using System.Web;
using Amazon.Runtime;
using k8s.KubeConfigModels;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Tests.Kubernetes;
using RealEstateOps.Sandbox.Eks;
using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>The EKS token as aws eks get-token makes it: its shape, its presigned URL, its refresh, and the sandbox's verdict on it.</summary>
public class EksTokenTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 29, 1, 30, 0, TimeSpan.Zero);

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AwsTarget Sts(string accessKey, string secret, string? endpoint = null, string region = "us-east-1") =>
        new("sts", new Resolved<string>(region, "test"), endpoint is null ? null : new Resolved<string>(endpoint, "test"), new BasicAWSCredentials(accessKey, secret), "test");

    private static Uri UrlOf(EksToken token) => EksTokenMinter.Decode(token.Value) ?? throw new InvalidOperationException("not a token");

    [Fact]
    public async Task A_token_is_the_prefix_and_the_unpadded_base64url_of_a_presigned_GetCallerIdentity_bound_to_the_cluster()
    {
        var token = await new EksTokenMinter(Sts("AKIDEXAMPLE", "secret-one"), new Clock(T0)).MintAsync("prod-cluster", default);

        Assert.StartsWith("k8s-aws-v1.", token.Value);
        var body = token.Value["k8s-aws-v1.".Length..];
        Assert.DoesNotContain('=', body);
        Assert.DoesNotContain('+', body);
        Assert.DoesNotContain('/', body);
        var url = UrlOf(token);
        Assert.Equal("https://sts.us-east-1.amazonaws.com/", url.GetLeftPart(UriPartial.Path));
        var q = HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("GetCallerIdentity", q["Action"]);
        Assert.Equal("2011-06-15", q["Version"]);
        Assert.Equal("AWS4-HMAC-SHA256", q["X-Amz-Algorithm"]);
        Assert.Equal("60", q["X-Amz-Expires"]);
        Assert.Equal("20250329T013000Z", q["X-Amz-Date"]);
        Assert.Equal("AKIDEXAMPLE/20250329/us-east-1/sts/aws4_request", q["X-Amz-Credential"]);
        Assert.Equal(new[] { "host", "x-k8s-aws-id" }, q["X-Amz-SignedHeaders"]!.Split(';'));
        Assert.Matches("^[0-9a-f]{64}$", q["X-Amz-Signature"]!);
        Assert.Equal(T0 + TimeSpan.FromMinutes(15), token.ExpiresAt);
        Assert.Equal(T0 + TimeSpan.FromMinutes(14), token.RefreshAt);
        Assert.DoesNotContain(token.Value, token.ToString());
    }

    [Fact]
    public async Task The_signature_depends_on_the_cluster_the_time_and_the_key_and_nothing_else()
    {
        async Task<string> Sig(string cluster, DateTimeOffset at, string secret) =>
            HttpUtility.ParseQueryString(UrlOf(await new EksTokenMinter(Sts("AKIDEXAMPLE", secret), new Clock(at)).MintAsync(cluster, default)).Query)["X-Amz-Signature"]!;

        var a = await Sig("prod", T0, "s1");
        Assert.Equal(a, await Sig("prod", T0, "s1"));
        Assert.NotEqual(a, await Sig("staging", T0, "s1"));
        Assert.NotEqual(a, await Sig("prod", T0.AddSeconds(1), "s1"));
        Assert.NotEqual(a, await Sig("prod", T0, "s2"));
    }

    [Fact]
    public async Task The_sts_endpoint_override_is_where_the_url_points()
    {
        var token = await new EksTokenMinter(Sts("AKIDEXAMPLE", "s", "http://127.0.0.1:4566"), new Clock(T0)).MintAsync("c", default);
        Assert.Equal("http://127.0.0.1:4566/", UrlOf(token).GetLeftPart(UriPartial.Path));
        Assert.Throws<ArgumentException>(() => new EksTokenMinter(new AwsTarget("eks", new("us-east-1", "t"), null, new BasicAWSCredentials("a", "b"), "t")));
    }

    [Fact]
    public async Task The_provider_keeps_a_token_until_14_minutes_then_mints_a_new_one()
    {
        var clock = new Clock(T0);
        var provider = new EksTokenProvider(new EksTokenMinter(Sts("AKIDEXAMPLE", "s"), clock), "prod", clock);
        var first = await provider.GetTokenAsync(default);
        clock.Now = T0 + TimeSpan.FromMinutes(14) - TimeSpan.FromSeconds(1);
        Assert.Same(first, await provider.GetTokenAsync(default));
        Assert.Equal(1, provider.Minted);
        clock.Now = T0 + TimeSpan.FromMinutes(14);
        var second = await provider.GetTokenAsync(default);
        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, provider.Minted);
        var header = await provider.GetAuthenticationHeaderAsync(default);
        Assert.Equal("Bearer", header.Scheme);
        Assert.Equal(second.Value, header.Parameter);
    }

    // ------------------------------------------------------------------ the sandbox's verifier

    private static readonly SandboxSecrets Secrets = SandboxSecrets.Generate();

    private static async Task<string> SandboxToken(DateTimeOffset at, string cluster = EksStore.ClusterName, bool readOnly = false, string? endpoint = null) =>
        (await new EksTokenMinter(readOnly ? Sts(Secrets.ReadOnlyAccessKeyId, Secrets.ReadOnlySecretAccessKey, endpoint) : Sts(Secrets.AccessKeyId, Secrets.SecretAccessKey, endpoint),
            new Clock(at)).MintAsync(cluster, default)).Value;

    private static EksTokenResult Verify(string token, DateTimeOffset now) => new EksTokenVerifier(Secrets, EksStore.ClusterName, new Clock(now)).Verify(token);

    [Fact]
    public async Task The_sandbox_accepts_a_minted_token_for_15_minutes_as_the_user_its_key_maps_to()
    {
        var admin = await SandboxToken(T0);
        Assert.Equal("sandbox-admin", Verify(admin, T0).User);
        Assert.Equal("sandbox-admin", Verify(admin, T0 + TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1)).User);
        var expired = Verify(admin, T0 + TimeSpan.FromMinutes(15));
        Assert.False(expired.Ok);
        Assert.Contains("expired", expired.Failure);
        Assert.Equal("sandbox-readonly", Verify(await SandboxToken(T0, readOnly: true), T0).User);
        Assert.Equal("sandbox-admin", Verify(await SandboxToken(T0, endpoint: "http://127.0.0.1:5000"), T0).User);
    }

    [Fact]
    public async Task The_sandbox_refuses_tokens_for_another_cluster_tampered_forged_or_from_unknown_keys()
    {
        Assert.Contains("another cluster", Verify(await SandboxToken(T0, cluster: "other-cluster"), T0).Failure);

        var url = EksTokenMinter.Decode(await SandboxToken(T0))!.AbsoluteUri;
        string Token(string u) => EksTokenMinter.Encode(new Uri(u));
        Assert.False(Verify(Token(url.Replace("Version=2011-06-15", "Version=2011-06-16")), T0).Ok);
        Assert.False(Verify(Token(url.Replace("Action=GetCallerIdentity", "Action=AssumeRole")), T0).Ok);
        Assert.False(Verify(Token(url + "&RoleArn=x"), T0).Ok);
        var sig = HttpUtility.ParseQueryString(new Uri(url).Query)["X-Amz-Signature"]!;
        var flipped = (sig[0] == 'a' ? 'b' : 'a') + sig[1..];
        Assert.Contains("does not verify", Verify(Token(url.Replace(sig, flipped)), T0).Failure);
        Assert.Contains("STS endpoint", Verify(Token(url.Replace("https://sts.us-east-1.amazonaws.com/", "https://evil.example.com/")), T0).Failure);

        var forged = (await new EksTokenMinter(Sts(Secrets.AccessKeyId, "not-the-secret"), new Clock(T0)).MintAsync(EksStore.ClusterName, default)).Value;
        Assert.False(Verify(forged, T0).Ok);
        var stranger = (await new EksTokenMinter(Sts("AKIAOTHER00000000000", "x"), new Clock(T0)).MintAsync(EksStore.ClusterName, default)).Value;
        Assert.Contains("not one of this sandbox's", Verify(stranger, T0).Failure);
        Assert.False(Verify("k8s-aws-v1.!!!", T0).Ok);
        Assert.False(Verify(await SandboxToken(T0) + "==", T0).Ok);
    }

    [Fact]
    public void A_url_presigned_by_botocore_with_UNSIGNED_PAYLOAD_verifies_too()
    {
        // The canonical request aws eks get-token (botocore's SigV4QueryAuth) signs: GET / <sorted query> host, x-k8s-aws-id, UNSIGNED-PAYLOAD.
        var date = "20250329T013000Z";
        var query = $"Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={Secrets.AccessKeyId}%2F20250329%2Fus-east-1%2Fsts%2Faws4_request" +
                    $"&X-Amz-Date={date}&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id";
        var canonical = $"GET\n/\n{query}\nhost:sts.us-east-1.amazonaws.com\nx-k8s-aws-id:{EksStore.ClusterName}\n\nhost;x-k8s-aws-id\nUNSIGNED-PAYLOAD";
        static byte[] H(byte[] key, string data) => System.Security.Cryptography.HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        var toSign = $"AWS4-HMAC-SHA256\n{date}\n20250329/us-east-1/sts/aws4_request\n" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
        var key = H(H(H(H(Encoding.UTF8.GetBytes("AWS4" + Secrets.SecretAccessKey), "20250329"), "us-east-1"), "sts"), "aws4_request");
        var signature = Convert.ToHexString(H(key, toSign)).ToLowerInvariant();
        var token = EksTokenMinter.Encode(new Uri($"https://sts.us-east-1.amazonaws.com/?{query}&X-Amz-Signature={signature}"));
        Assert.Equal("sandbox-admin", Verify(token, T0.AddMinutes(1)).User);
    }

    // ------------------------------------------------------------------ which exec plugins the module stands in for

    private static ExternalExecution Exec(string command, params string[] args) => new() { Command = command, ApiVersion = "client.authentication.k8s.io/v1beta1", Arguments = args.ToList() };

    [Fact]
    public void Aws_eks_get_token_is_recognised_in_the_shapes_update_kubeconfig_writes_and_nothing_else()
    {
        var written = EksTokenExec.Recognise(Exec("aws", "--region", "eu-west-1", "eks", "get-token", "--cluster-name", "prod", "--output", "json"), out _);
        Assert.Equal(new EksTokenExec("prod", "eu-west-1", null), written);
        Assert.Equal(new EksTokenExec("prod", null, null), EksTokenExec.Recognise(Exec("/usr/local/bin/aws", "eks", "get-token", "--cluster-name=prod"), out _));
        var withProfile = Exec("aws", "eks", "get-token", "--cluster-name", "prod");
        withProfile.EnvironmentVariables = new List<Dictionary<string, string>> { new() { ["name"] = "AWS_PROFILE", ["value"] = "ops" } };
        Assert.Equal(new EksTokenExec("prod", null, "ops"), EksTokenExec.Recognise(withProfile, out _));

        Assert.Null(EksTokenExec.Recognise(Exec("aws", "eks", "get-token", "--cluster-name", "prod", "--role-arn", "arn:aws:iam::1:role/x"), out var role));
        Assert.Contains("--role-arn", role);
        Assert.Null(EksTokenExec.Recognise(Exec("aws-iam-authenticator", "token", "-i", "prod"), out var other));
        Assert.Contains("aws-iam-authenticator", other);
        Assert.Null(EksTokenExec.Recognise(Exec("aws", "eks", "get-token"), out var noCluster));
        Assert.Contains("--cluster-name", noCluster);
        Assert.Null(EksTokenExec.Recognise(Exec("aws", "sts", "get-caller-identity", "--cluster-name", "x"), out _));
        var roleEnv = Exec("aws", "eks", "get-token", "--cluster-name", "prod");
        roleEnv.EnvironmentVariables = new List<Dictionary<string, string>> { new() { ["name"] = "AWS_ROLE_ARN", ["value"] = "arn" } };
        Assert.Null(EksTokenExec.Recognise(roleEnv, out var env));
        Assert.Contains("AWS_ROLE_ARN", env);
    }
}

/// <summary>A kubeconfig whose user runs 'aws eks get-token' reaches the sandbox's Kubernetes API with tokens minted in-process.</summary>
public class EksTokenKubeconfigTests : KubeSandboxTest
{
    private string EksKubeconfig(string cluster, string command = "/nonexistent/aws", string extraArgs = "") => $$$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: eks
          cluster:
            server: {{{Sandbox.Host.BaseUrl.ToString().TrimEnd('/')}}}
        users:
        - name: eks-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: {{{command}}}
              args: ["--region", "us-east-1", "eks", "get-token", "--cluster-name", "{{{cluster}}}", "--output", "json"{{{extraArgs}}}]
              env:
              - name: AWS_PROFILE
                value: sandbox
        contexts:
        - name: eks
          context: {cluster: eks, user: eks-user, namespace: real-estate-ai}
        current-context: eks

        """;

    private ActiveContext AwsContext()
    {
        var credentials = Path.Combine(Sandbox.StateDir, "test-aws-credentials");
        File.WriteAllText(credentials, $"[sandbox]\naws_access_key_id = {Sandbox.Secrets.AccessKeyId}\naws_secret_access_key = {Sandbox.Secrets.SecretAccessKey}\n");
        var stored = new OpsContext { Name = "eks-test", AwsCredentialsFile = credentials };
        stored.Endpoints["sts"] = Sandbox.Host.BaseUrl.ToString().TrimEnd('/');
        return new ActiveContext(new Resolved<string>("eks-test", "test"), stored, ContextSettings.Merge(stored, OpsContext.BuiltInDefault()));
    }

    private KubeClient OpenEks(string cluster, List<string> notes, string command = "/nonexistent/aws", string extraArgs = "")
    {
        var path = Path.Combine(Sandbox.StateDir, "eks-kubeconfig-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(path, EksKubeconfig(cluster, command, extraArgs));
        return KubeClient.Open(new KubeTarget { Kubeconfig = path, AwsContext = AwsContext(), Note = notes.Add });
    }

    [Fact]
    public async Task The_cluster_is_reached_with_a_minted_token_and_the_exec_is_never_run()
    {
        var notes = new List<string>();
        // The command does not exist: running it would fail; the module stands in for it.
        using var kube = OpenEks(EksStore.ClusterName, notes);
        var nodes = await ListAsync(new KubeQueries(kube).ListNodesAsync(new KubeListRequest(), default));
        Assert.Contains(nodes, n => n.Name == Node1);
        var note = Assert.Single(notes);
        Assert.Contains("minted in-process", note);
        Assert.Contains($"cluster '{EksStore.ClusterName}'", note);
        Assert.DoesNotContain("k8s-aws-v1", note);
    }

    [Fact]
    public async Task A_token_for_another_cluster_is_refused_with_401()
    {
        using var kube = OpenEks("some-other-cluster", new List<string>());
        var error = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(kube).ListNodesAsync(new KubeListRequest(), default)));
        Assert.Equal("KubeUnauthorized", error.ErrorId);
        Assert.DoesNotContain("k8s-aws-v1", error.ToString());
    }

    [Fact]
    public void An_exec_the_module_does_not_stand_in_for_is_run_as_written()
    {
        var notes = new List<string>();
        var error = Assert.Throws<OpsException>(() => OpenEks(EksStore.ClusterName, notes, extraArgs: ", \"--role-arn\", \"arn:aws:iam::123456789012:role/x\""));
        Assert.Equal("KubeconfigInvalid", error.ErrorId); // the client ran /nonexistent/aws, which failed
        Assert.Contains("--role-arn", Assert.Single(notes));
    }
}
