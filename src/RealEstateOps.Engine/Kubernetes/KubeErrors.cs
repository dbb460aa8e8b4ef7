using k8s.Autorest;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Kubernetes;

/// <summary>API failures as errors with specific ids: NodeNotFound, DeploymentNotFound, NamespaceNotFound, KubeForbidden, ...</summary>
internal static class KubeErrors
{
    /// <summary>The API server's Status answer in an error response.</summary>
    public static KubeStatus StatusOf(HttpOperationException ex) => KubeStatus.Parse((int)(ex.Response?.StatusCode ?? 0), ex.Response?.Content);

    /// <summary>The API's error answer to a request about <paramref name="kind"/> <paramref name="name"/>.</summary>
    public static OpsException From(HttpOperationException ex, string kind, string? name, string? ns)
    {
        var status = StatusOf(ex);
        var code = status.Code;
        var message = status.Message.Length > 0 ? status.Message : ExceptionSanitizer.RedactMessage(ex.Message);
        // The client's exception holds the request (a secret's data, for one) and the response: keep neither.
        var inner = ExceptionSanitizer.Sanitize(ex);
        return code switch
        {
            404 when message.StartsWith("namespaces \"", StringComparison.Ordinal) || kind == "Namespace" =>
                new OpsException("NamespaceNotFound", OpsErrorCategory.ObjectNotFound, $"Namespace '{ns ?? name}' does not exist ({message}).", ns ?? name, inner),
            404 => new OpsException(kind + "NotFound", OpsErrorCategory.ObjectNotFound,
                name is null ? message : $"{kind} '{name}'{(ns is null ? "" : $" in namespace '{ns}'")} was not found: {message}", name, inner),
            401 => new OpsException("KubeUnauthorized", OpsErrorCategory.AuthenticationError,
                $"The Kubernetes API rejected the kubeconfig's credentials (401): {message}", name, inner, isFatal: true),
            403 => new OpsException("KubeForbidden", OpsErrorCategory.PermissionDenied, $"Forbidden by the cluster's RBAC: {message}", name, inner),
            409 => new OpsException("KubeConflict", OpsErrorCategory.ResourceBusy, message, name, inner),
            422 or 400 => new OpsException("KubeInvalid", OpsErrorCategory.InvalidArgument, message, name, inner),
            429 => new OpsException("KubeThrottled", OpsErrorCategory.LimitsExceeded, message, name, inner),
            _ => new OpsException("KubeApiError", OpsErrorCategory.NotSpecified, $"The Kubernetes API answered {code}: {message}", name, inner),
        };
    }

    public static OpsException Unreachable(HttpRequestException ex)
    {
        // The server answered, but with a certificate the kubeconfig's certificate-authority does not vouch for: not a
        // network problem, and not one to retry (the wrong cluster, a man in the middle, or a stale kubeconfig).
        if (TlsFailure(ex) is { } tls)
            return new OpsException("KubeApiTlsUntrusted", OpsErrorCategory.AuthenticationError,
                "The Kubernetes API server's TLS certificate is not trusted by the kubeconfig's certificate-authority " +
                $"(or certificate-authority-data): {ExceptionSanitizer.RedactMessage(tls.Message)} Nothing was sent to it.", null, ExceptionSanitizer.Sanitize(ex), isFatal: true)
            {
                RecommendedAction = "Check that the kubeconfig and context point at the cluster you mean; refresh the kubeconfig (for EKS: aws eks update-kubeconfig).",
            };
        return new("KubeApiUnreachable", OpsErrorCategory.ConnectionError,
            $"The Kubernetes API server cannot be reached: {ExceptionSanitizer.RedactMessage(ex.Message)}", null, ExceptionSanitizer.Sanitize(ex), isFatal: true);
    }

    private static System.Security.Authentication.AuthenticationException? TlsFailure(Exception? ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is System.Security.Authentication.AuthenticationException auth) return auth;
        return null;
    }

    /// <summary>
    /// The request timeout ran out: HttpClient's own timeout (a TaskCanceledException around a TimeoutException,
    /// while the caller's token is not cancelled) or the retry handler's TimeoutException. Ctrl+C is not a timeout.
    /// </summary>
    public static bool IsTimeout(Exception ex) =>
        ex is TimeoutException || (ex is OperationCanceledException && ex.InnerException is TimeoutException);

    public static OpsException Timeout(Exception ex, string? kind = null, string? name = null) =>
        new("KubeApiTimeout", OpsErrorCategory.OperationTimeout,
            $"The Kubernetes API did not answer in time{(kind is null ? "" : $" ({kind}{(name is null ? "" : " " + name)})")}; the request timed out. " +
            "It may still have been carried out: check before repeating a change.", name, ExceptionSanitizer.Sanitize(ex));

    /// <summary>A list whose continue token came back a second time would loop for ever.</summary>
    public static OpsException PagingLoop(string kind, string? ns, string token, int pages) =>
        new("KubeApiPagingLoop", OpsErrorCategory.InvalidResult,
            $"The Kubernetes API returned a continue token it had already given while listing {kind}s{(ns is null ? "" : $" in namespace '{ns}'")} " +
            $"(after {pages} pages): listing stopped instead of looping. Token: {(token.Length > 40 ? token[..40] + "..." : token)}", ns);
}
