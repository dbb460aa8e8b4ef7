using System.Text;

namespace RealEstateOps.Sandbox.S3;

/// <summary>
/// Decodes the aws-chunked payloads current SDKs and the aws CLI send for uploads
/// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], STREAMING-UNSIGNED-PAYLOAD-TRAILER):
/// "hex-size[;chunk-signature=...]\r\n data \r\n" ... "0[;...]\r\n", then trailing headers
/// (x-amz-checksum-crc32:..., x-amz-trailer-signature:...) and an empty line.
/// </summary>
public static class AwsChunked
{
    public sealed record Decoded(byte[] Data, Dictionary<string, string> Trailers);

    public static bool IsChunked(HttpRequest request) =>
        request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal) ||
        request.Headers.ContentEncoding.ToString().Contains("aws-chunked", StringComparison.OrdinalIgnoreCase);

    public static Decoded Decode(byte[] body)
    {
        var output = new MemoryStream();
        var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pos = 0;
        while (true)
        {
            var line = ReadLine(body, ref pos) ?? throw Incomplete();
            var semi = line.IndexOf(';');
            var hex = (semi >= 0 ? line[..semi] : line).Trim();
            if (!long.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var size) || size < 0) throw Incomplete();
            if (size == 0) break;
            if (pos + size > body.Length) throw Incomplete();
            output.Write(body, pos, (int)size);
            pos += (int)size;
            if (pos + 2 > body.Length || body[pos] != '\r' || body[pos + 1] != '\n') throw Incomplete();
            pos += 2;
        }
        while (ReadLine(body, ref pos) is { Length: > 0 } trailer)
        {
            var colon = trailer.IndexOf(':');
            if (colon > 0) trailers[trailer[..colon].Trim()] = trailer[(colon + 1)..].Trim();
        }
        return new Decoded(output.ToArray(), trailers);
    }

    private static string? ReadLine(byte[] body, ref int pos)
    {
        if (pos >= body.Length) return null;
        var start = pos;
        while (pos + 1 < body.Length && !(body[pos] == '\r' && body[pos + 1] == '\n')) pos++;
        if (pos + 1 >= body.Length) { var rest = Encoding.ASCII.GetString(body, start, body.Length - start); pos = body.Length; return rest; }
        var text = Encoding.ASCII.GetString(body, start, pos - start);
        pos += 2;
        return text;
    }

    private static S3Exception Incomplete() =>
        new(400, "IncompleteBody", "The request body terminated unexpectedly");
}
