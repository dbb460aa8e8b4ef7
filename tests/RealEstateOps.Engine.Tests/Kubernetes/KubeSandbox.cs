using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Engine.Tests.Support;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Engine.Tests.Kubernetes;

/// <summary>A fresh in-process sandbox per test (its Kubernetes API seeded anew), a kubeconfig for it, and a fast clock.</summary>
public abstract class KubeSandboxTest : IAsyncLifetime
{
    public const string Node1 = "ip-10-0-1-21.ec2.internal";
    public const string Node2 = "ip-10-0-2-34.ec2.internal";
    public const string Ns = "real-estate-ai";
    protected SandboxFixture Sandbox { get; } = new();
    protected string KubeconfigPath => Path.Combine(Sandbox.StateDir, "kubeconfig");
    protected KubeClient Kube { get; private set; } = null!;
    protected string CredentialFile => Path.Combine(Sandbox.StateDir, "exec-credential.json");

    public async Task InitializeAsync()
    {
        await Sandbox.InitializeAsync();
        Sandbox.Host.Context.Clock.Speed = 10;
        // An exec credential plugin as aws eks get-token is one: a program that prints an ExecCredential.
        var secrets = Sandbox.Secrets;
        await File.WriteAllTextAsync(CredentialFile, """{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":""" + "\"" + secrets.KubeAdminToken + "\"}}");
        await File.WriteAllTextAsync(KubeconfigPath, Kubeconfig(Sandbox.Host.BaseUrl.ToString().TrimEnd('/'), CredentialFile, secrets.KubeAdminToken, secrets.KubeReadOnlyToken));
        Kube = Open();
    }

    public static string Kubeconfig(string server, string credentialFile, string adminToken, string readOnlyToken) => $$$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: {{{server}}}
        users:
        - name: admin
          user:
            token: "{{{adminToken}}}"
        - name: readonly
          user:
            token: "{{{readOnlyToken}}}"
        - name: exec
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1beta1
              command: /bin/cat
              args: ["{{{credentialFile}}}"]
        contexts:
        - name: sandbox
          context: {cluster: sandbox, user: admin, namespace: real-estate-ai}
        - name: readonly
          context: {cluster: sandbox, user: readonly, namespace: real-estate-ai}
        - name: exec
          context: {cluster: sandbox, user: exec, namespace: real-estate-ai}
        current-context: sandbox

        """;

    protected KubeClient Open(string? context = null) =>
        KubeClient.Open(new KubeTarget { Kubeconfig = KubeconfigPath, Context = context, Namespace = Ns });

    /// <summary>Everything a stream yields, added to <paramref name="into"/> as it comes (so what came before an error is kept).</summary>
    protected static async Task<List<T>> ListAsync<T>(IAsyncEnumerable<T> items, List<T>? into = null)
    {
        into ??= new List<T>();
        await foreach (var item in items) into.Add(item);
        return into;
    }

    /// <summary>An engine operation's events, kept in order; the notes' messages in <see cref="Notes"/>.</summary>
    protected sealed class EventLog : IProgress<RealEstateOps.Engine.Common.OpsEvent>
    {
        private readonly List<RealEstateOps.Engine.Common.OpsEvent> _events = new();

        public void Report(RealEstateOps.Engine.Common.OpsEvent value) { lock (_events) _events.Add(value); }

        public List<string> Notes { get { lock (_events) return _events.OfType<RealEstateOps.Engine.Common.OpsNote>().Select(n => n.Message).ToList(); } }

        public List<T> OfType<T>() where T : RealEstateOps.Engine.Common.OpsEvent { lock (_events) return _events.OfType<T>().ToList(); }
    }

    protected void Faults(FaultSettings settings) => Sandbox.Host.Context.Faults.Set("kubernetes", settings);

    protected async Task<long> RequestCountAsync()
    {
        var counts = JsonNode.Parse(await Sandbox.Http.GetStringAsync("_sandbox/requests"))!;
        return (long?)counts["services"]?["kubernetes"] ?? 0;
    }

    protected async Task<List<V1Pod>> PodsOnAsync(string node) =>
        (await Kube.Api.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=" + node)).Items.ToList();

    protected async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Kube?.Dispose();
        await Sandbox.DisposeAsync();
    }
}
