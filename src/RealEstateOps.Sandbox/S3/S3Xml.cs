using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace RealEstateOps.Sandbox.S3;

/// <summary>S3's wire format: the 2006-03-01 XML namespace, its timestamps and ETags, result documents and error documents.</summary>
public static class S3Xml
{
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>An element in S3's namespace.</summary>
    public static XElement Element(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>The owner every listing names.</summary>
    public static XElement Owner() => Element("Owner", Element("ID", "sandbox-owner"), Element("DisplayName", "sandbox"));

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    public static string HttpDate(DateTimeOffset t) => t.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
    public static string Quoted(string etag) => "\"" + etag + "\"";

    /// <summary>A configuration document as stored: without a namespace.</summary>
    public static XElement StripNamespace(XElement e) =>
        new(e.Name.LocalName, e.Attributes().Where(a => !a.IsNamespaceDeclaration), e.Nodes().Select(n => n is XElement c ? StripNamespace(c) : n));

    /// <summary>A stored configuration document, in S3's namespace again.</summary>
    public static XElement WithNamespace(XElement e) =>
        new(Ns + e.Name.LocalName, e.Attributes(), e.Nodes().Select(n => n is XElement c ? WithNamespace(c) : n));

    public static async Task WriteAsync(S3Request r, XElement root, int status = 200)
    {
        r.Http.Response.StatusCode = status;
        r.Http.Response.ContentType = "application/xml";
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.ToString(SaveOptions.DisableFormatting);
        var bytes = Encoding.UTF8.GetBytes(text);
        r.Http.Response.ContentLength = bytes.Length;
        await r.Http.Response.Body.WriteAsync(bytes, r.Http.RequestAborted);
    }

    /// <summary>An error as S3 sends it: status, extra headers, and (but for HEAD) an Error document with the request id.</summary>
    public static async Task WriteErrorAsync(HttpContext http, S3Exception ex)
    {
        http.Response.StatusCode = ex.Status;
        foreach (var (k, v) in ex.Headers) http.Response.Headers[k] = v;
        if (!http.Response.Headers.ContainsKey("x-amz-request-id")) http.Response.Headers["x-amz-request-id"] = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        if (HttpMethods.IsHead(http.Request.Method)) return;
        var doc = new XElement("Error", new XElement("Code", ex.Code), new XElement("Message", ex.Message));
        if (ex.Resource is not null) doc.Add(new XElement(ex.Code == "NoSuchBucket" ? "BucketName" : "Resource", ex.Resource));
        foreach (var (k, v) in ex.Extra) doc.Add(new XElement(k, v));
        doc.Add(new XElement("RequestId", http.Response.Headers["x-amz-request-id"].ToString()));
        var bytes = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + doc.ToString(SaveOptions.DisableFormatting));
        http.Response.ContentType = "application/xml";
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes);
    }
}
