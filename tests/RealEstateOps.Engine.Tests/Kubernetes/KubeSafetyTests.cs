using System.Net;
using System.Text;
using k8s.Autorest;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Engine.Tests.Kubernetes;

/// <summary>The Kubernetes funnel against a server that misbehaves, and errors that must not carry a secret.</summary>
public class KubeSafetyTests : KubeSandboxTest
{
    private const string Password = "Kube-Safety-Pw-7f3a9c";
    private static readonly string PasswordBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Password));

    /// <summary>Answers every pod list with one pod and the same continue token; gives up after 20 requests so that a loop fails the test instead of hanging it.</summary>
    private sealed class SameContinueToken : DelegatingHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (++Requests > 20) throw new InvalidOperationException("The client kept paging: it loops.");
            var body = """{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"token-1"},"items":[{"metadata":{"name":"p","namespace":"real-estate-ai","uid":"u"},"spec":{"containers":[{"name":"c","image":"i"}]}}]}""";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json"), RequestMessage = request });
        }
    }

    [Fact]
    public async Task A_repeated_continue_token_stops_with_KubeApiPagingLoop()
    {
        var handler = new SameContinueToken();
        using var kube = KubeClient.Open(new KubeTarget { Kubeconfig = KubeconfigPath, Namespace = Ns, InnerHandlerForTests = handler });
        var listed = new List<KubePod>();
        var ex = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(kube).ListPodsAsync(new KubeListRequest { Namespace = Ns, PageSize = 1 }, default), listed));
        Assert.Equal("KubeApiPagingLoop", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.InvalidResult, ex.Category);
        Assert.Equal(2, handler.Requests);
        Assert.Equal(2, listed.Count);

        var raw = await Assert.ThrowsAsync<OpsException>(() => new KubeQueries(kube).PodsAsync(Ns, null, null, default));
        Assert.Equal("KubeApiPagingLoop", raw.ErrorId);
    }

    [Fact]
    public async Task A_latency_fault_longer_than_the_request_timeout_is_KubeApiTimeout_and_a_cancel_stays_a_cancel()
    {
        Faults(new FaultSettings { LatencyMs = 20_000 });
        using var kube = KubeClient.Open(new KubeTarget { Kubeconfig = KubeconfigPath, Namespace = Ns, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var ex = await Assert.ThrowsAsync<OpsException>(() => ListAsync(new KubeQueries(kube).ListPodsAsync(new KubeListRequest { Namespace = Ns }, default)));
        Assert.Equal("KubeApiTimeout", ex.ErrorId);
        Assert.Equal(OpsErrorCategory.OperationTimeout, ex.Category);
        Assert.True(ExceptionSanitizer.IsClean(ex));

        using var patient = KubeClient.Open(new KubeTarget { Kubeconfig = KubeconfigPath, Namespace = Ns });
        using var cts = new CancellationTokenSource();
        var call = ListAsync(new KubeQueries(patient).ListPodsAsync(new KubeListRequest { Namespace = Ns }, cts.Token));
        cts.Cancel();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.IsNotType<OpsException>(cancelled);
        Faults(new FaultSettings());
    }

    [Fact]
    public async Task A_forbidden_secret_write_keeps_neither_the_request_nor_the_password()
    {
        using var readOnly = Open("readonly");
        var request = new DbSecretRequest { Namespace = Ns, Name = "db-credentials-safety", Host = "db.example", User = "app", Password = Password };
        var ex = await Assert.ThrowsAsync<OpsException>(() => new DbSecretWriter(readOnly).ApplyAsync(request, null, default));
        Assert.Equal("KubeForbidden", ex.ErrorId);
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            Assert.IsNotType<HttpOperationException>(e);
            Assert.False(ExceptionSanitizer.IsUnsafe(e), e.GetType().FullName);
        }
        var sanitized = Assert.IsType<SanitizedException>(ex.InnerException);
        Assert.Equal(typeof(HttpOperationException).FullName, sanitized.OriginalType);
        Assert.Equal(403, sanitized.StatusCode);
        var text = ex.ToString();
        Assert.DoesNotContain(Password, text);
        Assert.DoesNotContain(PasswordBase64, text);
    }
}

/// <summary>The sanitizer on its own: what it replaces and what it leaves alone.</summary>
public class ExceptionSanitizerTests
{
    [Fact]
    public void An_HttpOperationException_becomes_its_type_status_and_a_message_without_the_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://k8s.example/api/v1/namespaces/a/secrets");
        using var response = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        var http = new HttpOperationException("Operation returned an invalid status code 'InternalServerError', response body {\"echo\":\"c2VjcmV0\"}")
        {
            Request = new HttpRequestMessageWrapper(request, "{\"data\":{\"password\":\"c2VjcmV0\"}}"),
            Response = new HttpResponseMessageWrapper(response, "{\"echo\":\"c2VjcmV0\"}"),
        };
        Assert.False(ExceptionSanitizer.IsClean(http));
        var ops = new OpsException("KubeApiError", OpsErrorCategory.NotSpecified, "The Kubernetes API answered 500.", "db-credentials", http) { RecommendedAction = "retry" };

        var clean = ExceptionSanitizer.Sanitize(ops);
        Assert.NotSame(ops, clean);
        Assert.Equal(("KubeApiError", "The Kubernetes API answered 500.", "db-credentials", "retry"), (clean.ErrorId, clean.Message, (string?)clean.Target, clean.RecommendedAction));
        var inner = Assert.IsType<SanitizedException>(clean.InnerException);
        Assert.Equal((typeof(HttpOperationException).FullName, (int?)500), (inner.OriginalType, inner.StatusCode));
        Assert.DoesNotContain("c2VjcmV0", inner.Message);
        Assert.True(ExceptionSanitizer.IsClean(clean));
    }

    [Fact]
    public void Data_entries_are_dropped_and_clean_chains_are_kept_as_they_are()
    {
        var withData = new HttpRequestException("connection refused");
        withData.Data["request-body"] = "secret";
        var wrapped = new OpsException("KubeApiUnreachable", OpsErrorCategory.ConnectionError, "down", null, withData);
        var clean = ExceptionSanitizer.Sanitize(wrapped);
        Assert.IsType<SanitizedException>(clean.InnerException);
        Assert.Empty(clean.InnerException!.Data);

        var plain = new OpsException("RdsUnreachable", OpsErrorCategory.ConnectionError, "down", "x", new HttpRequestException("refused", new System.Net.Sockets.SocketException(111)));
        Assert.Same(plain, ExceptionSanitizer.Sanitize(plain));
    }

    [Fact]
    public void A_secret_echoed_by_the_server_is_masked_in_the_message()
    {
        var echoed = new OpsException("KubeInvalid", OpsErrorCategory.InvalidArgument, "Secret is invalid: data[password]: \"hunter2-xyz\" and aHVudGVyMi14eXo=", "s");
        var masked = ExceptionSanitizer.WithoutSecret(echoed, "hunter2-xyz");
        Assert.DoesNotContain("hunter2-xyz", masked.Message);
        Assert.DoesNotContain("aHVudGVyMi14eXo=", masked.Message);
        Assert.Equal("KubeInvalid", masked.ErrorId);
    }
}
