using RealEstateOps.Engine.Common;
using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox;

/// <summary>
/// Where a started sandbox's clients find what it hands them, named in its info file: the control token, the AWS
/// shared credentials file (profiles for the full-access and the read-only key), the kubeconfig (contexts for the
/// admin and the read-only token, trusting the TLS listener's certificate), the regions and key ids. The secrets
/// are only in the three files, each 0600.
/// </summary>
public sealed record SandboxClients(
    string ControlTokenFile, string AwsCredentialsFile, string AwsProfile, string AwsReadOnlyProfile, string AccessKeyId, string ReadOnlyAccessKeyId,
    string Region, string Kubeconfig, string KubeContext, string KubeReadOnlyContext, string KubeNamespace);

/// <summary>Writes the files a sandbox hands to its clients (<see cref="SandboxClients"/>) into its state folder.</summary>
public static class SandboxClientFiles
{
    /// <summary>The AWS profile and kubeconfig context of the full-access credentials ("-readonly" appended: the read-only ones).</summary>
    public const string ProfileName = "sandbox";
    public const string Region = "us-east-1";
    public const string KubeNamespace = "real-estate-ai";

    public static SandboxClients Write(string folder, SandboxSecrets secrets, Uri tlsUrl, string certificatePem)
    {
        var readOnly = ProfileName + "-readonly";
        var controlToken = Path.Combine(folder, "control-token");
        FileUtil.WriteAtomic(controlToken, secrets.ControlToken + "\n", ownerOnly: true);

        // A shared credentials file of its own (the aws CLI reads it through AWS_SHARED_CREDENTIALS_FILE): the user's ~/.aws is left alone.
        var credentials = Path.Combine(folder, "aws-credentials");
        FileUtil.WriteAtomic(credentials,
            $"[{ProfileName}]\naws_access_key_id = {secrets.AccessKeyId}\naws_secret_access_key = {secrets.SecretAccessKey}\n\n" +
            $"[{readOnly}]\naws_access_key_id = {secrets.ReadOnlyAccessKeyId}\naws_secret_access_key = {secrets.ReadOnlySecretAccessKey}\n", ownerOnly: true);

        // The Kubernetes API on the TLS listener (kubectl sends bearer tokens only over TLS), trusted through this start's certificate.
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        var authority = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(certificatePem));
        FileUtil.WriteAtomic(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {tlsUrl.ToString().TrimEnd('/')}
                certificate-authority-data: {authority}
            users:
            - name: sandbox-admin
              user:
                token: "{secrets.KubeAdminToken}"
            - name: sandbox-readonly
              user:
                token: "{secrets.KubeReadOnlyToken}"
            contexts:
            - name: {ProfileName}
              context:
                cluster: sandbox
                user: sandbox-admin
                namespace: {KubeNamespace}
            - name: {readOnly}
              context:
                cluster: sandbox
                user: sandbox-readonly
                namespace: {KubeNamespace}
            current-context: {ProfileName}

            """, ownerOnly: true);

        return new SandboxClients(controlToken, credentials, ProfileName, readOnly, secrets.AccessKeyId, secrets.ReadOnlyAccessKeyId,
            Region, kubeconfig, ProfileName, readOnly, KubeNamespace);
    }
}
