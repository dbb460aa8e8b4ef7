using System.Text;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Aws;

/// <summary>
/// Reading an AWS answer's body for the raw clients (RDS, EKS): at most a given size, within the client's timeout
/// (HttpClient's own covers only the headers once they are read separately), decoded by its charset (UTF-8 by default).
/// Each client says how it names the three failures.
/// </summary>
public static class AwsBody
{
    public sealed record Failures(Func<long, bool, OpsException> TooLarge, Func<Exception, OpsException> TimedOut, Func<Exception, OpsException> Dropped);

    /// <param name="failures">TooLarge(size, sizeIsKnown): the answer is larger than <paramref name="maxBytes"/>; TimedOut: the
    /// timeout passed while reading; Dropped: the connection broke while reading. The caller's cancellation stays an OperationCanceledException.</param>
    public static async Task<string> ReadAsync(HttpResponseMessage response, long maxBytes, TimeSpan timeout, Failures failures, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength is { } length && length > maxBytes) throw failures.TooLarge(length, true);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout != Timeout.InfiniteTimeSpan) limit.CancelAfter(timeout);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(limit.Token).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            int n;
            while ((n = await stream.ReadAsync(chunk.AsMemory(), limit.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw failures.TooLarge(buffer.Length + n, false);
                buffer.Write(chunk, 0, n);
            }
            var charset = response.Content.Headers.ContentType?.CharSet?.Trim('"');
            Encoding encoding;
            try { encoding = string.IsNullOrEmpty(charset) ? Encoding.UTF8 : Encoding.GetEncoding(charset); }
            catch (ArgumentException) { encoding = Encoding.UTF8; }
            return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw failures.TimedOut(ex);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is HttpRequestException or IOException)
        {
            throw failures.Dropped(ex);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
