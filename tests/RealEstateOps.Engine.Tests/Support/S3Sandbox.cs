using Amazon.Runtime;
using Amazon.S3;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.S3;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Engine.Tests.Support;

/// <summary>S3 clients and targets pointed at an in-process sandbox.</summary>
public static class S3Sandbox
{
    /// <summary>The sandbox's own key (its full-access one unless another key id is named), with the secret of this start.</summary>
    public static AwsTarget Target(SandboxHost host, string region = "us-east-1", string accessKey = RealEstateOps.Sandbox.Security.SandboxSecrets.AccessKeyIdValue) =>
        new("s3", new Resolved<string>(region, "test"), new Resolved<string>(host.BaseUrl.ToString(), "test"),
            new BasicAWSCredentials(accessKey, host.Context.Options.Secrets.SecretFor(accessKey) ?? "no-such-secret"), "test");

    public static AmazonS3Client Client(SandboxHost host, string region = "us-east-1", string accessKey = RealEstateOps.Sandbox.Security.SandboxSecrets.AccessKeyIdValue) =>
        S3ClientFactory.Create(Target(host, region, accessKey));

    /// <summary>A fresh bucket name for one test.</summary>
    public static string NewBucket(string stem) => $"{stem}-{Guid.NewGuid():N}"[..Math.Min(40, stem.Length + 33)];
}
