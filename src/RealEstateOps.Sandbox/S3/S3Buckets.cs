using System.Xml.Linq;
using static RealEstateOps.Sandbox.S3.S3Xml;

namespace RealEstateOps.Sandbox.S3;

/// <summary>Bucket operations: create, delete, head, location, list, versioning and the configuration documents (replication, lifecycle, public access block, encryption).</summary>
public sealed class S3Buckets
{
    private readonly S3Store _store;

    public S3Buckets(S3Store store) => _store = store;

    public async Task ListBucketsAsync(S3Request r)
    {
        var owner = Owner();
        var buckets = Element("Buckets", _store.Buckets.Select(b => Element("Bucket", Element("Name", b.Name), Element("CreationDate", Iso(b.Created)), Element("BucketRegion", b.Region))));
        await WriteAsync(r, Element("ListAllMyBucketsResult", owner, buckets));
    }

    public async Task CreateBucketAsync(S3Request r)
    {
        if (!S3Store.IsValidBucketName(r.Bucket)) throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.", r.Bucket);
        var region = r.Scope.Region;
        var body = await r.ReadBodyAsync();
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
        if (_store.Find(r.Bucket) is { } existing && existing.Region != region)
            throw new S3Exception(409, "BucketAlreadyExists", "The requested bucket name is not available.", r.Bucket);
        _store.Create(r.Bucket, region, _store.Now);
        r.Http.Response.Headers.Location = "/" + r.Bucket;
        r.Http.Response.StatusCode = 200;
    }

    public Task DeleteBucketAsync(S3Request r)
    {
        r.BucketIn(_store);
        _store.Delete(r.Bucket);
        r.Http.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    public Task HeadBucketAsync(S3Request r)
    {
        var bucket = _store.Require(r.Bucket);
        r.Http.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        if (bucket.Region != r.Scope.Region) throw new S3Exception(301, "PermanentRedirect", "The bucket is in another region.") { Headers = { ["x-amz-bucket-region"] = bucket.Region } };
        r.Http.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    public async Task GetBucketLocationAsync(S3Request r)
    {
        var bucket = _store.Require(r.Bucket);
        await WriteAsync(r, Element("LocationConstraint", bucket.Region == "us-east-1" ? null : bucket.Region));
    }

    public async Task PutBucketVersioningAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var doc = await r.ReadXmlAsync();
        var status = (string?)doc.Element(doc.Name.Namespace + "Status");
        if (status is not ("Enabled" or "Suspended"))
            throw S3Exception.MalformedXml();
        lock (bucket.Gate)
        {
            if (status == "Suspended" && bucket.ReplicationXml is not null)
                throw new S3Exception(400, "InvalidBucketState", "A replication configuration is present on this bucket, so you cannot change the versioning state. To change the versioning state, first delete the replication configuration.");
            bucket.Versioning = status;
        }
        r.Http.Response.StatusCode = 200;
    }

    public async Task GetBucketVersioningAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        await WriteAsync(r, Element("VersioningConfiguration", bucket.Versioning is null ? null : Element("Status", bucket.Versioning)));
    }

    private static string ConfigKind(string operation) =>
        operation.Contains("Replication") ? "replication" : operation.Contains("Lifecycle") ? "lifecycle" : operation.Contains("PublicAccessBlock") ? "publicAccessBlock" : "encryption";

    public async Task PutBucketConfigAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
        var doc = await r.ReadXmlAsync();
        doc = StripNamespace(doc);
        switch (ConfigKind(r.Operation))
        {
            case "replication":
                if (doc.Name != "ReplicationConfiguration" || !doc.Elements("Rule").Any())
                    throw S3Exception.MalformedXml();
                if (bucket.Versioning != "Enabled")
                    throw new S3Exception(400, "InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
                foreach (var destination in doc.Elements("Rule").Select(e => (string?)e.Element("Destination")?.Element("Bucket")))
                {
                    var name = destination?.Replace("arn:aws:s3:::", "");
                    if (string.IsNullOrEmpty(name) || _store.Find(name) is not { } target)
                        throw new S3Exception(400, "InvalidArgument", "Invalid argument: Destination bucket must exist") { Extra = { ["ArgumentName"] = "Destination" } };
                    if (target.Versioning != "Enabled")
                        throw new S3Exception(400, "InvalidRequest", "Destination bucket must have versioning enabled.");
                }
                lock (bucket.Gate) bucket.ReplicationXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
            case "lifecycle":
                if (doc.Name != "LifecycleConfiguration" || !doc.Elements("Rule").Any())
                    throw S3Exception.MalformedXml();
                lock (bucket.Gate) bucket.LifecycleXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
            case "publicAccessBlock":
                if (doc.Name != "PublicAccessBlockConfiguration")
                    throw S3Exception.MalformedXml();
                lock (bucket.Gate) bucket.PublicAccessBlockXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
            default:
                if (doc.Name != "ServerSideEncryptionConfiguration" || !doc.Elements("Rule").Any())
                    throw S3Exception.MalformedXml();
                lock (bucket.Gate) bucket.EncryptionXml = doc.ToString(SaveOptions.DisableFormatting);
                break;
        }
        r.Http.Response.StatusCode = 200;
    }

    private const string DefaultEncryptionXml =
        "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>";

    public async Task GetBucketConfigAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
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
        await WriteAsync(r, WithNamespace(XElement.Parse(xml)));
    }

    public Task DeleteBucketConfigAsync(S3Request r)
    {
        var bucket = r.BucketIn(_store);
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
}
