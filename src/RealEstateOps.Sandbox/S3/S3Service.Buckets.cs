using System.Xml.Linq;

namespace RealEstateOps.Sandbox.S3;

public sealed partial class S3Service
{
    private async Task ListBucketsAsync(S3Request r)
    {
        var owner = X("Owner", X("ID", "sandbox-owner"), X("DisplayName", "sandbox"));
        var buckets = X("Buckets", Store.Buckets.Select(b => X("Bucket", X("Name", b.Name), X("CreationDate", Iso(b.Created)), X("BucketRegion", b.Region))));
        await WriteXmlAsync(r, X("ListAllMyBucketsResult", owner, buckets));
    }

    private async Task CreateBucketAsync(S3Request r)
    {
        if (!IsValidBucketName(r.Bucket)) throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.", r.Bucket);
        var region = r.Scope.Region;
        var body = await ReadBodyAsync(r);
        if (body.Length > 0)
        {
            var doc = XElement.Parse(System.Text.Encoding.UTF8.GetString(body));
            if ((string?)doc.Element(doc.Name.Namespace + "LocationConstraint") is { Length: > 0 } location)
            {
                if (location != r.Scope.Region)
                    throw new S3Exception(400, "IllegalLocationConstraintException",
                        $"The {location} location constraint is incompatible for the region specific endpoint this request was sent to.");
                region = location;
            }
        }
        else if (region != "us-east-1")
            throw new S3Exception(400, "IllegalLocationConstraintException",
                "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
        if (Store.Find(r.Bucket) is { } existing && existing.Region != region)
            throw new S3Exception(409, "BucketAlreadyExists", "The requested bucket name is not available.", r.Bucket);
        Store.Create(r.Bucket, region, Now);
        r.Http.Response.Headers.Location = "/" + r.Bucket;
        r.Http.Response.StatusCode = 200;
    }

    private Task DeleteBucketAsync(S3Request r)
    {
        BucketOf(r);
        Store.Delete(r.Bucket);
        r.Http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private Task HeadBucketAsync(S3Request r)
    {
        var bucket = Store.Find(r.Bucket) ?? throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist", r.Bucket);
        r.Http.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        if (bucket.Region != r.Scope.Region) throw new S3Exception(301, "PermanentRedirect", "The bucket is in another region.") { Headers = { ["x-amz-bucket-region"] = bucket.Region } };
        r.Http.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    private async Task GetBucketLocationAsync(S3Request r)
    {
        var bucket = Store.Find(r.Bucket) ?? throw new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist", r.Bucket);
        await WriteXmlAsync(r, X("LocationConstraint", bucket.Region == "us-east-1" ? null : bucket.Region));
    }

    private async Task PutBucketVersioningAsync(S3Request r)
    {
        var bucket = BucketOf(r);
        var doc = await ReadXmlAsync(r);
        var status = (string?)doc.Element(doc.Name.Namespace + "Status");
        if (status is not ("Enabled" or "Suspended"))
            throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
        lock (bucket.Gate)
        {
            if (status == "Suspended" && bucket.ReplicationXml is not null)
                throw new S3Exception(400, "InvalidBucketState", "A replication configuration is present on this bucket, so you cannot change the versioning state. To change the versioning state, first delete the replication configuration.");
            bucket.Versioning = status;
        }
        r.Http.Response.StatusCode = 200;
    }

    private async Task GetBucketVersioningAsync(S3Request r)
    {
        var bucket = BucketOf(r);
        await WriteXmlAsync(r, X("VersioningConfiguration", bucket.Versioning is null ? null : X("Status", bucket.Versioning)));
    }

    private static string ConfigKind(string operation) =>
        operation.Contains("Replication") ? "replication" : operation.Contains("Lifecycle") ? "lifecycle" : operation.Contains("PublicAccessBlock") ? "publicAccessBlock" : "encryption";

    private async Task PutBucketConfigAsync(S3Request r)
    {
        var bucket = BucketOf(r);
        var doc = await ReadXmlAsync(r);
        doc = StripNamespace(doc);
        switch (ConfigKind(r.Operation))
        {
            case "replication":
                if (doc.Name != "ReplicationConfiguration" || !doc.Elements("Rule").Any())
                    throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
                if (bucket.Versioning != "Enabled")
                    throw new S3Exception(400, "InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
                foreach (var destination in doc.Elements("Rule").Select(e => (string?)e.Element("Destination")?.Element("Bucket")))
                {
                    var name = destination?.Replace("arn:aws:s3:::", "");
                    if (string.IsNullOrEmpty(name) || Store.Find(name) is not { } target)
                        throw new S3Exception(400, "InvalidArgument", "Invalid argument: Destination bucket must exist") { Extra = { ["ArgumentName"] = "Destination" } };
                    if (target.Versioning != "Enabled")
                        throw new S3Exception(400, "InvalidRequest", "Destination bucket must have versioning enabled.");
                }
                lock (bucket.Gate) bucket.ReplicationXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
            case "lifecycle":
                if (doc.Name != "LifecycleConfiguration" || !doc.Elements("Rule").Any())
                    throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
                lock (bucket.Gate) bucket.LifecycleXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
            case "publicAccessBlock":
                if (doc.Name != "PublicAccessBlockConfiguration")
                    throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
                lock (bucket.Gate) bucket.PublicAccessBlockXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
            default:
                if (doc.Name != "ServerSideEncryptionConfiguration" || !doc.Elements("Rule").Any())
                    throw new S3Exception(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
                lock (bucket.Gate) bucket.EncryptionXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
        }
        r.Http.Response.StatusCode = 200;
    }

    private const string DefaultEncryptionXml =
        "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>";

    private async Task GetBucketConfigAsync(S3Request r)
    {
        var bucket = BucketOf(r);
        string? xml;
        lock (bucket.Gate)
        {
            xml = ConfigKind(r.Operation) switch
            {
                "replication" => bucket.ReplicationXml ?? throw new S3Exception(404, "ReplicationConfigurationNotFoundError", "The replication configuration was not found", r.Bucket),
                "lifecycle" => bucket.LifecycleXml ?? throw new S3Exception(404, "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", r.Bucket),
                "publicAccessBlock" => bucket.PublicAccessBlockXml ?? throw new S3Exception(404, "NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", r.Bucket),
                _ => bucket.EncryptionXml ?? DefaultEncryptionXml,
            };
        }
        await WriteXmlAsync(r, WithNamespace(XElement.Parse(xml)));
    }

    private Task DeleteBucketConfigAsync(S3Request r)
    {
        var bucket = BucketOf(r);
        lock (bucket.Gate)
        {
            switch (ConfigKind(r.Operation))
            {
                case "replication": bucket.ReplicationXml = null; break;
                case "lifecycle": bucket.LifecycleXml = null; break;
                case "publicAccessBlock": bucket.PublicAccessBlockXml = null; break;
                default: bucket.EncryptionXml = null; break;
            }
        }
        r.Http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static XElement StripNamespace(XElement e) =>
        new(e.Name.LocalName, e.Attributes().Where(a => !a.IsNamespaceDeclaration), e.Nodes().Select(n => n is XElement c ? StripNamespace(c) : n));

    private static XElement WithNamespace(XElement e) =>
        new(Ns + e.Name.LocalName, e.Attributes(), e.Nodes().Select(n => n is XElement c ? WithNamespace(c) : n));
}
