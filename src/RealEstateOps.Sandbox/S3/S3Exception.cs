using RealEstateOps.Sandbox.Security;

namespace RealEstateOps.Sandbox.S3;

/// <summary>An S3 error as the service reports it: HTTP status, error code and message.</summary>
public sealed class S3Exception : Exception
{
    public S3Exception(int status, string code, string message, string? resource = null) : base(message)
    {
        Status = status;
        Code = code;
        Resource = resource;
    }

    public int Status { get; }
    public string Code { get; }
    public string? Resource { get; }
    /// <summary>Extra elements of the error document (Region for a wrong-region request, ...).</summary>
    public Dictionary<string, string> Extra { get; } = new();
    /// <summary>Extra response headers (x-amz-delete-marker, x-amz-bucket-region, ...).</summary>
    public Dictionary<string, string> Headers { get; } = new();

    public static S3Exception MalformedXml() =>
        new(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");

    /// <summary>A refused signature (header or presigned query) in S3's own codes.</summary>
    public static S3Exception FromSignature(SigV4Result result, bool presigned)
    {
        var ex = result.Failure switch
        {
            SigV4Failure.Missing => new S3Exception(403, "AccessDenied", "Access Denied"),
            SigV4Failure.MissingDate => new S3Exception(403, "AccessDenied", result.Message),
            SigV4Failure.Expired => new S3Exception(403, "AccessDenied", result.Message),
            SigV4Failure.Malformed => new S3Exception(400, presigned ? "AuthorizationQueryParametersError" : "AuthorizationHeaderMalformed", result.Message),
            SigV4Failure.UnknownAccessKey => new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
            SigV4Failure.Skewed => new S3Exception(403, "RequestTimeTooSkewed", result.Message),
            _ => new S3Exception(403, "SignatureDoesNotMatch", result.Message),
        };
        if (result.Credential is { } c && result.Failure == SigV4Failure.UnknownAccessKey) ex.Extra["AWSAccessKeyId"] = c.AccessKeyId;
        if (result.Failure == SigV4Failure.SignatureMismatch)
        {
            ex.Extra["AWSAccessKeyId"] = result.Credential!.AccessKeyId;
            ex.Extra["StringToSign"] = result.StringToSign ?? "";
            ex.Extra["CanonicalRequest"] = result.CanonicalRequest ?? "";
        }
        return ex;
    }
}
