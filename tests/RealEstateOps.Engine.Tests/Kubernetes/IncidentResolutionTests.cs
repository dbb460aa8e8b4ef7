using System.Text;
using k8s;
using k8s.Models;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Kubernetes;
using RealEstateOps.Sandbox.Kubernetes;

namespace RealEstateOps.Engine.Tests.Kubernetes;

/// <summary>The incident runbook's Kubernetes steps against the sandbox: exec, scale, the llm-service's configuration, the DB secret.</summary>
public class IncidentResolutionTests : KubeSandboxTest
{
    private static PodCommandRequest Exec(string deployment, params string[] command) => new() { Namespace = Ns, Deployment = deployment, Command = command };

    [Fact]
    public async Task Exec_runs_pg_isready_in_an_app_pod_against_the_real_database()
    {
        var exec = new PodExec(Kube);
        var result = await exec.RunAsync(Exec("api-service", "sh", "-c", "pg_isready -h $DB_HOST"), default);
        var db = Sandbox.Host.Platform;
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("api", result.Container); // the default-container annotation, not the envoy sidecar
        Assert.StartsWith("api-service-", result.Pod);
        Assert.Equal($"{db.Host}:5432 - accepting connections\n", result.StdOut);

        // Another host is not the sandbox's database: no response, and nothing was contacted.
        var elsewhere = await exec.RunAsync(Exec("api-service", "pg_isready", "-h", "db.example.com", "-p", "5432"), default);
        Assert.Equal((2, "db.example.com:5432 - no response\n"), (elsewhere.ExitCode, elsewhere.StdOut));
        // No -h: the local socket, where an app container has no server.
        Assert.Equal(2, (await exec.RunAsync(Exec("api-service", "pg_isready"), default)).ExitCode);
    }

    [Fact]
    public async Task Exec_reports_exit_codes_output_and_the_pods_environment_but_never_a_password()
    {
        var exec = new PodExec(Kube);
        var failed = await exec.RunAsync(Exec("auth-service", "sh", "-c", "exit 3"), default);
        Assert.Equal((3, false), (failed.ExitCode, failed.Succeeded));
        var missing = await exec.RunAsync(Exec("auth-service", "curl", "http://example.com"), default);
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("not found", missing.StdErr);
        var hostname = await exec.RunAsync(Exec("auth-service", "cat", "/etc/hostname"), default);
        Assert.Equal(hostname.Pod + "\n", hostname.StdOut);
        var env = await exec.RunAsync(Exec("llm-service", "env"), default);
        Assert.Contains("LLM_PROVIDER=openai\n", env.StdOut);
        Assert.Contains("DB_PASSWORD=" + Redaction.Mask + "\n", env.StdOut);
        var secret = await Kube.Api.CoreV1.ReadNamespacedSecretAsync("db-credentials", Ns);
        Assert.DoesNotContain(Encoding.UTF8.GetString(secret.Data["password"]), env.StdOut);
        var echo = await exec.RunAsync(Exec("llm-service", "sh", "-c", "echo \"provider=${LLM_PROVIDER}\" 'lit $LLM_PROVIDER'"), default);
        Assert.Equal("provider=openai lit $LLM_PROVIDER\n", echo.StdOut);
        // A command that outlives its timeout is abandoned with PodCommandTimeout (the sandbox's sleep ends when the client goes).
        var slow = await Assert.ThrowsAsync<OpsException>(() => exec.RunAsync(new PodCommandRequest { Namespace = Ns, Deployment = "auth-service", Command = new[] { "sleep", "120" }, Timeout = TimeSpan.FromSeconds(1) }, default));
        Assert.Equal("PodCommandTimeout", slow.ErrorId);
        var pipe = await exec.RunAsync(Exec("llm-service", "sh", "-c", "env | grep LLM"), default);
        Assert.Equal(2, pipe.ExitCode); // the emulated shell runs one command, and says so
    }

    [Fact]
    public async Task Exec_refuses_unknown_pods_containers_and_deployments_without_ready_pods()
    {
        var exec = new PodExec(Kube);
        Assert.Equal("PodNotFound", (await Assert.ThrowsAsync<OpsException>(() => exec.RunAsync(new PodCommandRequest { Namespace = Ns, Pod = "nope", Command = new[] { "env" } }, default))).ErrorId);
        Assert.Equal("DeploymentNotFound", (await Assert.ThrowsAsync<OpsException>(() => exec.RunAsync(Exec("nope", "env"), default))).ErrorId);
        Assert.Equal("ContainerNotFound", (await Assert.ThrowsAsync<OpsException>(() => exec.RunAsync(new PodCommandRequest { Namespace = Ns, Deployment = "api-service", Container = "nope", Command = new[] { "env" } }, default))).ErrorId);
        await Kube.Api.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":0}}""", V1Patch.PatchType.MergePatch), "frontend", Ns);
        await new Rollouts(Kube).WaitAsync(new RolloutRequest(Ns, "frontend") { Timeout = TimeSpan.FromMinutes(1) }, null, default);
        Assert.Equal("DeploymentHasNoReadyPod", (await Assert.ThrowsAsync<OpsException>(() => exec.RunAsync(Exec("frontend", "env"), default))).ErrorId);
        // RBAC: a read-only user may read the pod but not create pods/exec; the API refuses the upgrade.
        using var readOnly = Open("readonly");
        var refused = await Assert.ThrowsAsync<OpsException>(() => new PodExec(readOnly).RunAsync(Exec("api-service", "env"), default));
        Assert.Equal("KubeForbidden", refused.ErrorId);
        Assert.Contains("pods/exec", refused.Message);
    }

    [Fact]
    public async Task Exec_status_channel_parsing_follows_the_kubelets_status()
    {
        Assert.Equal(0, PodExec.ExitCode(KubePodExec.StatusJson(0, new[] { "true" }).ToJsonString(), Ns, "p", "c"));
        Assert.Equal(42, PodExec.ExitCode(KubePodExec.StatusJson(42, new[] { "sh", "-c", "exit 42" }).ToJsonString(), Ns, "p", "c"));
        Assert.Equal("PodExecFailed", Assert.Throws<OpsException>(() => PodExec.ExitCode("", Ns, "p", "c")).ErrorId);
        Assert.Equal("PodNotRunning", Assert.Throws<OpsException>(() => PodExec.ExitCode("""{"status":"Failure","message":"container app is not running"}""", Ns, "p", "c")).ErrorId);
    }

    [Fact]
    public async Task Scale_sets_replicas_through_the_subresource_and_refuses_zero_unless_allowed()
    {
        var scaler = new DeploymentScaler(Kube);
        var scaled = await scaler.ScaleAsync(new DeploymentScaleRequest { Namespace = Ns, Name = "proposal-service", Replicas = 4 }, default);
        Assert.Equal((2, 4, true), (scaled.PreviousReplicas, scaled.Replicas, scaled.Changed));
        Assert.Equal("app=proposal-service", scaled.Selector);
        var done = await new Rollouts(Kube).WaitAsync(new RolloutRequest(Ns, "proposal-service") { Timeout = TimeSpan.FromMinutes(1) }, null, default);
        Assert.Equal((RolloutState.Complete, 4), (done.Status, done.Ready));

        var zero = await Assert.ThrowsAsync<OpsException>(() => scaler.ScaleAsync(new DeploymentScaleRequest { Namespace = Ns, Name = "proposal-service", Replicas = 0 }, default));
        Assert.Equal("DeploymentScaleToZeroRefused", zero.ErrorId);
        Assert.Equal(4, (await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("proposal-service", Ns)).Spec.Replicas);
        Assert.Equal(0, (await scaler.ScaleAsync(new DeploymentScaleRequest { Namespace = Ns, Name = "proposal-service", Replicas = 0, AllowZero = true }, default)).Replicas);
        Assert.Equal("DeploymentNotFound", (await Assert.ThrowsAsync<OpsException>(() => scaler.GetAsync(Ns, "nope", default))).ErrorId);
    }

    [Fact]
    public async Task Llm_provider_switches_to_the_fallback_restarts_and_reverts()
    {
        var config = new LlmServiceConfigurator(Kube);
        var request = new LlmConfigRequest { Namespace = Ns };
        var before = await config.GetAsync(request, default);
        Assert.Equal(("openai", "anthropic", 600, false, null), (before.Provider, before.FallbackProvider, before.RequestsPerMinute, before.OnFallback, before.PreviousProvider));

        var switched = await config.SwitchProviderAsync(request, null, false, default);
        Assert.Equal(("openai", "anthropic", true), (switched.OldValue, switched.NewValue, switched.Changed));
        Assert.True(switched.Config.OnFallback);
        Assert.Equal("openai", switched.Config.PreviousProvider);
        Assert.NotNull(switched.Restart);
        var template = (await Kube.Api.AppsV1.ReadNamespacedDeploymentAsync("llm-service", Ns)).Spec.Template.Metadata.Annotations;
        Assert.True(template.ContainsKey(RealEstateOps.Engine.Kubernetes.Kube.RestartedAtAnnotation));

        var again = await config.SwitchProviderAsync(request, "anthropic", false, default);
        Assert.Equal((false, null), (again.Changed, again.Restart));

        var reverted = await config.SwitchProviderAsync(request, null, true, default);
        Assert.Equal(("anthropic", "openai", true, true), (reverted.OldValue, reverted.NewValue, reverted.Changed, reverted.Reverted));
        Assert.Null(reverted.Config.PreviousProvider);
        Assert.Equal("LlmConfigNothingToRevert", (await Assert.ThrowsAsync<OpsException>(() => config.SwitchProviderAsync(request, null, true, default))).ErrorId);
        Assert.Equal("LlmConfigNotFound", (await Assert.ThrowsAsync<OpsException>(() => config.GetAsync(new LlmConfigRequest { Namespace = Ns, ConfigMap = "nope" }, default))).ErrorId);
    }

    [Fact]
    public async Task Llm_request_limit_is_set_and_reverted_through_the_same_configuration()
    {
        var config = new LlmServiceConfigurator(Kube);
        var request = new LlmConfigRequest { Namespace = Ns };
        var limited = await config.SetRequestLimitAsync(request, 120, false, default);
        Assert.Equal(("600", "120", 120, "600"), (limited.OldValue, limited.NewValue, limited.Config.RequestsPerMinute, limited.Config.PreviousRequestsPerMinute));
        Assert.Equal("LlmRequestLimitInvalid", (await Assert.ThrowsAsync<OpsException>(() => config.SetRequestLimitAsync(request, 0, false, default))).ErrorId);
        var reverted = await config.SetRequestLimitAsync(request, null, true, default);
        Assert.Equal(600, reverted.Config.RequestsPerMinute);
        var env = await new PodExec(Kube).RunAsync(Exec("llm-service", "printenv", "LLM_RATE_LIMIT_RPM"), default);
        Assert.Equal("600\n", env.StdOut);
    }

    [Fact]
    public async Task Db_secret_is_verified_by_logging_in_and_updated_only_with_credentials_that_work()
    {
        var verifier = new DbSecretVerifier(Kube);
        var ok = await verifier.TestAsync(new DbSecretTestRequest { Namespace = Ns }, default);
        Assert.True(ok.Succeeded, ok.Error);
        Assert.NotNull(ok.ServerVersion);
        Assert.Equal(Sandbox.Host.Platform.User, ok.User);

        var db = Sandbox.Host.Platform;
        var password = db.Password;
        // Wrong credentials in another secret: the login says why, and the password appears nowhere in the result.
        await new DbSecretWriter(Kube).ApplyAsync(new DbSecretRequest { Namespace = Ns, Name = "db-credentials-wrong", Host = db.Host, Port = db.Port, Database = db.Database, User = db.User, Password = "not-the-password" }, null, default);
        var wrong = await verifier.TestAsync(new DbSecretTestRequest { Namespace = Ns, Name = "db-credentials-wrong" }, default);
        Assert.Equal((false, "DbAuthenticationFailed"), (wrong.Succeeded, wrong.ErrorId));
        Assert.DoesNotContain("not-the-password", wrong.Error ?? "");
        // Unreachable through the override (a closed port).
        var closed = await verifier.TestAsync(new DbSecretTestRequest { Namespace = Ns, HostOverride = "127.0.0.1", PortOverride = 1 }, default);
        Assert.Equal((false, "127.0.0.1:1"), (closed.Succeeded, closed.ConnectedTo));
        Assert.Equal("SecretNotFound", (await Assert.ThrowsAsync<OpsException>(() => verifier.TestAsync(new DbSecretTestRequest { Namespace = Ns, Name = "nope" }, default))).ErrorId);

        // Update: wrong new credentials are refused before anything changes.
        var rv = (await Kube.Api.CoreV1.ReadNamespacedSecretAsync("db-credentials-wrong", Ns)).Metadata.ResourceVersion;
        var refused = await Assert.ThrowsAsync<OpsException>(() => verifier.UpdateAsync(new DbSecretUpdateRequest { Namespace = Ns, Name = "db-credentials-wrong", User = db.User, Password = "still-wrong" }, null, default));
        Assert.Equal("DbAuthenticationFailed", refused.ErrorId);
        Assert.DoesNotContain("still-wrong", refused.Message);
        Assert.Equal(rv, (await Kube.Api.CoreV1.ReadNamespacedSecretAsync("db-credentials-wrong", Ns)).Metadata.ResourceVersion);

        // The right ones: written, then the deployments named restarted.
        var updated = await verifier.UpdateAsync(new DbSecretUpdateRequest { Namespace = Ns, Name = "db-credentials-wrong", User = db.User, Password = password, Deployments = new[] { "frontend" } }, null, default);
        Assert.True(updated.Verified.Succeeded);
        Assert.Equal(DbSecretAction.Updated, updated.Secret.Action);
        Assert.Equal(new[] { "frontend" }, updated.Restarted.Select(r => r.Name));
        Assert.True((await verifier.TestAsync(new DbSecretTestRequest { Namespace = Ns, Name = "db-credentials-wrong" }, default)).Succeeded);
        // By default the deployments whose pods read the secret.
        Assert.Equal(new[] { "api-service", "auth-service", "chatbot-service", "frontend", "llm-service", "proposal-service" }, await verifier.DeploymentsUsingAsync(Ns, "db-credentials", default));
        Assert.Empty(await verifier.DeploymentsUsingAsync(Ns, "db-credentials-wrong", default));
    }
}
