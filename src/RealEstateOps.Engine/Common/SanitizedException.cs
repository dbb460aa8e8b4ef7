using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace RealEstateOps.Engine.Common;

/// <summary>
/// What is left of an exception that carried an HTTP request or response (KubernetesClient's
/// HttpOperationException holds both, bodies included: a secret being written, a token): its type
/// name, its status code and a redacted message. Error records keep this instead of the original.
/// </summary>
public sealed class SanitizedException : Exception
{
    public SanitizedException(string originalType, int? statusCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        OriginalType = originalType;
        StatusCode = statusCode;
    }

    /// <summary>The full name of the exception this stands for.</summary>
    public string OriginalType { get; }

    /// <summary>The HTTP status code of the failed call, when there was an answer.</summary>
    public int? StatusCode { get; }

    public override string ToString() => $"{OriginalType}{(StatusCode is { } c ? $" ({c})" : "")}: {Message}";
}

/// <summary>
/// Keeps error records free of what HTTP exceptions carry: request and response objects (bodies,
/// headers with tokens) and Data entries. An exception is unsafe when it has a public property that
/// holds a request, a response or their content, or a non-empty Data dictionary; an unsafe exception
/// anywhere in a chain is replaced by a <see cref="SanitizedException"/>.
/// </summary>
public static partial class ExceptionSanitizer
{
    private const int MaxMessageLength = 500;

    private static readonly HashSet<string> CarrierNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Request", "Response", "RequestMessage", "ResponseMessage", "Body", "RequestBody", "ResponseBody", "Content", "ResponseContent", "RequestContent",
    };

    // Exceptions that say where the response body starts in their message (KubernetesClient: "..., response body {...}").
    [GeneratedRegex(@"(?is),?\s*(response|request)\s+body\b.*$")]
    private static partial Regex BodyInMessage();

    /// <summary>True when nothing in the chain (inner exceptions, aggregate members) carries a request, a response or data.</summary>
    public static bool IsClean(Exception? ex)
    {
        for (var depth = 0; ex is not null && depth < 32; depth++, ex = ex.InnerException)
        {
            if (IsUnsafe(ex)) return false;
            if (ex is AggregateException agg && agg.InnerExceptions.Any(e => !IsClean(e))) return false;
        }
        return true;
    }

    /// <summary>The exception itself (not its inner ones) carries a request, a response or data.</summary>
    public static bool IsUnsafe(Exception ex)
    {
        if (ex is SanitizedException) return false;
        if (ex is not OpsException && ex.Data is { Count: > 0 }) return true;
        foreach (var p in ex.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.DeclaringType == typeof(Exception) || p.GetIndexParameters().Length > 0) continue;
            var t = p.PropertyType;
            if (typeof(HttpRequestMessage).IsAssignableFrom(t) || typeof(HttpResponseMessage).IsAssignableFrom(t) || typeof(HttpContent).IsAssignableFrom(t)) return true;
            if (t.Name.EndsWith("MessageWrapper", StringComparison.Ordinal)) return true; // KubernetesClient's HttpRequestMessageWrapper/HttpResponseMessageWrapper
            if (CarrierNames.Contains(p.Name) && t != typeof(bool) && !t.IsEnum) return true;
        }
        return false;
    }

    /// <summary>
    /// The exception with every unsafe link replaced: the same object when the chain is clean; an
    /// OpsException is rebuilt with its id, category, message, target and action; any other link that
    /// is unsafe, or holds an unsafe one, becomes a SanitizedException.
    /// </summary>
    public static Exception? Sanitize(Exception? ex) => Sanitize(ex, 0);

    private static Exception? Sanitize(Exception? ex, int depth)
    {
        if (ex is null || IsClean(ex)) return ex;
        if (depth > 32) return null;
        if (ex is OpsException ops)
            return new OpsException(ops.ErrorId, ops.Category, ops.Message, SafeTarget(ops.Target), Sanitize(ops.InnerException, depth + 1), ops.IsFatal)
            { RecommendedAction = ops.RecommendedAction };
        if (ex is AggregateException agg && !IsUnsafe(agg))
            return new AggregateException(RedactMessage(agg.Message), agg.InnerExceptions.Select(e => Sanitize(e, depth + 1)!));
        return new SanitizedException(ex.GetType().FullName ?? ex.GetType().Name, StatusCodeOf(ex), RedactMessage(ex.Message), Sanitize(ex.InnerException, depth + 1));
    }

    /// <summary>An OpsException whose chain is clean: the same one, or a rebuilt copy.</summary>
    public static OpsException Sanitize(OpsException ex) => IsClean(ex) && SafeTarget(ex.Target) == ex.Target ? ex : (OpsException)Sanitize((Exception)ex, 0)!;

    /// <summary>A target that is itself an exception or an HTTP message is replaced by its description.</summary>
    public static object? SafeTarget(object? target) => target switch
    {
        Exception e => e.GetType().Name,
        HttpRequestMessage r => $"{r.Method} {r.RequestUri?.GetLeftPart(UriPartial.Path)}",
        HttpResponseMessage r => $"HTTP {(int)r.StatusCode}",
        HttpContent => "(content)",
        _ => target,
    };

    /// <summary>A message without a quoted body, without password=... pairs, and not longer than 500 characters.</summary>
    public static string RedactMessage(string message)
    {
        var text = Redaction.ScrubConnectionString(BodyInMessage().Replace(message, " (body removed)"));
        return text.Length > MaxMessageLength ? text[..MaxMessageLength] + "..." : text;
    }

    private static int? StatusCodeOf(Exception ex)
    {
        if (ex is HttpRequestException { StatusCode: { } code }) return (int)code;
        try
        {
            var type = ex.GetType();
            object? status = type.GetProperty("StatusCode")?.GetValue(ex);
            if (status is null && type.GetProperty("Response")?.GetValue(ex) is { } response)
                status = response.GetType().GetProperty("StatusCode")?.GetValue(response);
            return status switch
            {
                null => null,
                int i => i,
                Enum e => Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        catch (Exception e) when (e is TargetInvocationException or InvalidCastException or OverflowException or AmbiguousMatchException)
        {
            return null;
        }
    }

    /// <summary>Replaces a secret's literal (and its base64 form) in an OpsException's message: a server may echo what it was sent.</summary>
    public static OpsException WithoutSecret(OpsException ex, string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return ex;
        var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret));
        if (!ex.Message.Contains(secret, StringComparison.Ordinal) && !ex.Message.Contains(base64, StringComparison.Ordinal)) return ex;
        var message = ex.Message.Replace(secret, Redaction.Mask, StringComparison.Ordinal).Replace(base64, Redaction.Mask, StringComparison.Ordinal);
        return new OpsException(ex.ErrorId, ex.Category, message, SafeTarget(ex.Target), Sanitize(ex.InnerException), ex.IsFatal) { RecommendedAction = ex.RecommendedAction };
    }
}
