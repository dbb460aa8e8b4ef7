using System.Net;
using Amazon.Runtime;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Aws;

/// <summary>AWS errors as OpsExceptions whose id is the AWS error code and whose message carries AWS's message and request id.</summary>
public static class AwsErrors
{
    public static OpsException From(string? code, string? message, HttpStatusCode status, string? requestId, object? target)
    {
        code = string.IsNullOrEmpty(code) ? $"AwsHttp{(int)status}" : code;
        var category = code switch
        {
            _ when Http.RetryPolicy.ThrottlingCodes.Contains(code) => OpsErrorCategory.LimitsExceeded,
            _ when code.EndsWith("NotFound", StringComparison.Ordinal) || code.StartsWith("NoSuch", StringComparison.Ordinal) => OpsErrorCategory.ObjectNotFound,
            _ when code.EndsWith("AlreadyExists", StringComparison.Ordinal) || code.EndsWith("AlreadyExistsFault", StringComparison.Ordinal) => OpsErrorCategory.ResourceExists,
            _ when code.StartsWith("Invalid", StringComparison.Ordinal) && code.EndsWith("State", StringComparison.Ordinal) => OpsErrorCategory.InvalidOperation,
            "AccessDenied" or "AccessDeniedException" or "UnauthorizedOperation" or "AuthorizationError" => OpsErrorCategory.PermissionDenied,
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "ExpiredToken" or "UnrecognizedClientException" => OpsErrorCategory.AuthenticationError,
            _ => (int)status switch
            {
                404 => OpsErrorCategory.ObjectNotFound,
                403 => OpsErrorCategory.PermissionDenied,
                409 => OpsErrorCategory.ResourceExists,
                >= 500 => OpsErrorCategory.ResourceUnavailable,
                _ => OpsErrorCategory.InvalidArgument,
            },
        };
        var text = $"{(string.IsNullOrWhiteSpace(message) ? code : message.TrimEnd('.'))}. (AWS {code}, HTTP {(int)status}{(string.IsNullOrEmpty(requestId) ? "" : $", request id {requestId}")})";
        return new OpsException(code, category, text, target);
    }

    public static OpsException From(AmazonServiceException ex, object? target) =>
        From(ex.ErrorCode, ex.Message, ex.StatusCode, ex.RequestId, target);
}
