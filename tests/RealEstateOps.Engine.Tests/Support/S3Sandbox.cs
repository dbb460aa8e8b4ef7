using Amazon.Runtime;
using Amazon.S3;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Storage;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Engine.Tests.Support;

/// <summary>S3 clients and targets pointed at an in-process sandbox.</summary>
public static class S3Sandbox
{
    public static AwsTarget Target(SandboxHost host, string region = "us-east-1", string accessKey = "AKIASANDBOX000000000") =>
        new("s3", new Resolved<string>(region, "test"), new Resolved<string>(host.BaseUrl.ToString(), "test"),
            new BasicAWSCredentials(accessKey, "sandbox/secret/key/not/a/real/one/0000000"), "test");

    public static AmazonS3Client Client(SandboxHost host, string region = "us-east-1", string accessKey = "AKIASANDBOX000000000") =>
        S3ClientFactory.Create(Target(host, region, accessKey));

    /// <summary>A fresh bucket name for one test.</summary>
    public static string NewBucket(string stem) => $"{stem}-{Guid.NewGuid():N}"[..Math.Min(40, stem.Length + 33)];
}
