using k8s;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Eks;

/// <summary>The kubeconfig entry Set-OpsContext -EksCluster writes, as aws eks update-kubeconfig does.</summary>
public class EksKubeconfigTests
{
    private static EksCluster Cluster(string name = "prod") => new()
    {
        Name = name, Status = "ACTIVE", Version = "1.32", Endpoint = "https://ABC.gr7.us-east-1.eks.amazonaws.com",
        Arn = $"arn:aws:eks:us-east-1:123456789012:cluster/{name}", CertificateAuthorityData = Convert.ToBase64String("-----BEGIN CERTIFICATE-----\n"u8.ToArray()),
    };

    [Fact]
    public void A_new_file_is_made_owner_only_in_an_owner_only_folder_with_the_entries_update_kubeconfig_writes()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "new-folder", "config");
        var entry = EksKubeconfig.Plan(Cluster(), "us-east-1", "ops", null, path);
        Assert.False(entry.FileExists);
        EksKubeconfig.Write(entry);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        var arn = "arn:aws:eks:us-east-1:123456789012:cluster/prod";
        Assert.Equal(arn, config.CurrentContext);
        var cluster = Assert.Single(config.Clusters);
        Assert.Equal(arn, cluster.Name);
        Assert.Equal("https://ABC.gr7.us-east-1.eks.amazonaws.com", cluster.ClusterEndpoint.Server);
        Assert.Equal(Cluster().CertificateAuthorityData, cluster.ClusterEndpoint.CertificateAuthorityData);
        var exec = Assert.Single(config.Users).UserCredentials.ExternalExecution;
        Assert.Equal("aws", exec.Command);
        Assert.Equal(EksKubeconfig.ExecApiVersion, exec.ApiVersion);
        Assert.Equal(new[] { "--region", "us-east-1", "eks", "get-token", "--cluster-name", "prod", "--output", "json" }, exec.Arguments);
        Assert.Equal("ops", Assert.Single(exec.EnvironmentVariables)["value"]);
        Assert.Equal(new EksTokenExec("prod", "us-east-1", "ops"), EksTokenExec.Recognise(exec, out _));
        var context = Assert.Single(config.Contexts);
        Assert.Equal((arn, arn, arn), (context.Name, context.ContextDetails.Cluster, context.ContextDetails.User));
    }

    [Fact]
    public void An_existing_file_keeps_its_other_entries_and_unknown_fields_and_the_same_cluster_is_replaced_not_repeated()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "config");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            preferences: {colors: true}
            clusters:
            - name: minikube
              cluster: {server: "https://192.168.49.2:8443", insecure-skip-tls-verify: true}
              extensions: [{name: minikube-info, extension: {provider: minikube.sigs.k8s.io}}]
            users:
            - name: minikube
              user: {token: abc}
            contexts:
            - name: minikube
              context: {cluster: minikube, user: minikube, namespace: dev}
            current-context: minikube
            x-custom-field: keep-me

            """);
        EksKubeconfig.Write(EksKubeconfig.Plan(Cluster(), "us-east-1", null, "prod", path));
        EksKubeconfig.Write(EksKubeconfig.Plan(Cluster() is var c ? new EksCluster { Name = c.Name, Status = c.Status, Arn = c.Arn, CertificateAuthorityData = c.CertificateAuthorityData, Endpoint = "https://NEW.eks.amazonaws.com" } : null!, "us-east-1", null, "prod", path));

        var text = File.ReadAllText(path);
        Assert.Contains("x-custom-field: keep-me", text);
        Assert.Contains("minikube-info", text);
        Assert.Contains("colors: true", text);
        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        Assert.Equal("prod", config.CurrentContext);
        Assert.Equal(new[] { "minikube", Cluster().Arn }, config.Clusters.Select(x => x.Name));
        Assert.Equal("https://NEW.eks.amazonaws.com", config.Clusters.Last().ClusterEndpoint.Server);
        Assert.Equal("abc", config.Users.First().UserCredentials.Token);
        Assert.Null(config.Users.Last().UserCredentials.ExternalExecution.EnvironmentVariables);
        Assert.Equal(new[] { "minikube", "prod" }, config.Contexts.Select(x => x.Name));
        Assert.Equal("dev", config.Contexts.First().ContextDetails.Namespace);
    }

    [Fact]
    public void A_cluster_without_endpoint_yet_or_a_file_that_is_not_a_kubeconfig_is_refused_and_left_alone()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "config");
        var creating = new EksCluster { Name = "new", Status = "CREATING" };
        Assert.Equal("EksClusterNotReady", Assert.Throws<OpsException>(() => EksKubeconfig.Plan(creating, "us-east-1", null, null, path)).ErrorId);
        File.WriteAllText(path, "clusters: {not: a-list}\n");
        Assert.Equal("KubeconfigInvalid", Assert.Throws<OpsException>(() => EksKubeconfig.Write(EksKubeconfig.Plan(Cluster(), "us-east-1", null, null, path))).ErrorId);
        Assert.Equal("clusters: {not: a-list}\n", File.ReadAllText(path));
        File.WriteAllText(path, "a: [unclosed\n");
        Assert.Equal("KubeconfigInvalid", Assert.Throws<OpsException>(() => EksKubeconfig.Write(EksKubeconfig.Plan(Cluster(), "us-east-1", null, null, path))).ErrorId);
    }
}
