using Microsoft.AspNetCore.Routing;

namespace RealEstateOps.Sandbox;

/// <summary>
/// One emulated service (S3, RDS, EKS, the Kubernetes API, ...): which requests are its own, its
/// endpoints, and how it reports an error in its own wire format, so that injected faults look
/// exactly like the real service's throttling and server errors.
/// </summary>
public interface ISandboxService
{
    string Name { get; }
    bool Owns(HttpRequest request);
    void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox);
    /// <summary>The operation a request performs, for request counts (e.g. "ListObjectVersions").</summary>
    string OperationOf(HttpRequest request) => request.Method + " " + request.Path;
    /// <summary>The error the real service uses for throttling (S3: 503 SlowDown, RDS: 400 Throttling, ...).</summary>
    Control.FaultKind ThrottleFault => new(429, "Throttling");
    Task WriteErrorAsync(HttpContext context, int status, string code, string message);
    /// <summary>
    /// Checks who sent a request this service owns, before fault injection or the service itself sees it
    /// (S3 and RDS: a SigV4 signature by one of the sandbox's keys; Kubernetes: one of its bearer tokens).
    /// On refusal it writes the service's own error and returns false.
    /// </summary>
    Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox);
}
