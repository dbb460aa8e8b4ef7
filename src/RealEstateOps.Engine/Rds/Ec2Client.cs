using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using RealEstateOps.Engine.Aws;
using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Http;

namespace RealEstateOps.Engine.Rds;

/// <summary>
/// The two EC2 reads the database runbook needs (security groups and subnets), over EC2's Query protocol (form-encoded POST,
/// XML answers, API version 2016-11-15), signed with SigV4 for service "ec2" and retried by the shared RetryHandler, as
/// <see cref="RdsClient"/> does for RDS. One error funnel, <see cref="Call"/>: EC2's own errors become OpsExceptions with EC2's
/// code as id (InvalidGroup.NotFound, ...), transport failures Ec2Unreachable and Ec2Timeout, a NextToken given twice Ec2PagingLoop.
/// </summary>
public sealed class Ec2Client : IDisposable
{
    public const string ApiVersion = "2016-11-15";
    private static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private const long MaxResponseBytes = 16L * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _disposed;

    public Ec2Client(HttpClient http, bool ownsHttp = false)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <param name="target">An AWS target for service "ec2".</param>
    public static Ec2Client Create(AwsTarget target, RetryPolicy? policy = null, Action<HttpRequestMessage, int, string, TimeSpan>? onRetry = null, TimeSpan? timeout = null)
    {
        var http = AwsHttp.CreateSignedClient(target, policy, onRetry);
        if (timeout is { } t) http.Timeout = t;
        return new Ec2Client(http, ownsHttp: true);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && _ownsHttp) _http.Dispose();
    }

    /// <summary>The security groups with these ids (all pages), with their inbound rules.</summary>
    public async Task<IReadOnlyList<DbSecurityGroup>> DescribeSecurityGroupsAsync(IReadOnlyList<string> groupIds, CancellationToken ct)
    {
        var groups = new List<DbSecurityGroup>();
        await foreach (var item in PagesAsync("DescribeSecurityGroups", "GroupId", groupIds, "securityGroupInfo", ct).ConfigureAwait(false))
            groups.Add(new DbSecurityGroup
            {
                GroupId = Text(item, "groupId") ?? "",
                GroupName = Text(item, "groupName"),
                Description = Text(item, "groupDescription"),
                VpcId = Text(item, "vpcId"),
                InboundRules = Items(item, "ipPermissions").Select(r => new DbSecurityRule
                {
                    Protocol = Text(r, "ipProtocol") ?? "",
                    FromPort = Int(r, "fromPort"),
                    ToPort = Int(r, "toPort"),
                    Cidrs = Items(r, "ipRanges").Select(c => Text(c, "cidrIp")).Concat(Items(r, "ipv6Ranges").Select(c => Text(c, "cidrIpv6"))).OfType<string>().ToArray(),
                    SourceGroupIds = Items(r, "groups").Select(g => Text(g, "groupId")).OfType<string>().ToArray(),
                    Description = Items(r, "ipRanges").Select(c => Text(c, "description")).Concat(Items(r, "groups").Select(g => Text(g, "description"))).OfType<string>().FirstOrDefault(),
                }).ToList(),
            });
        return groups;
    }

    /// <summary>The subnets with these ids (all pages).</summary>
    public async Task<IReadOnlyList<DbSubnet>> DescribeSubnetsAsync(IReadOnlyList<string> subnetIds, CancellationToken ct)
    {
        var subnets = new List<DbSubnet>();
        await foreach (var item in PagesAsync("DescribeSubnets", "SubnetId", subnetIds, "subnetSet", ct).ConfigureAwait(false))
            subnets.Add(new DbSubnet
            {
                SubnetId = Text(item, "subnetId") ?? "",
                AvailabilityZone = Text(item, "availabilityZone"),
                CidrBlock = Text(item, "cidrBlock"),
                VpcId = Text(item, "vpcId"),
                Status = Text(item, "state"),
                AvailableIpAddressCount = Int(item, "availableIpAddressCount"),
            });
        return subnets;
    }

    private async IAsyncEnumerable<XElement> PagesAsync(string action, string idName, IReadOnlyList<string> ids, string set,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var p = new List<KeyValuePair<string, string>>();
            for (var i = 0; i < ids.Count; i++) p.Add(new($"{idName}.{i + 1}", ids[i]));
            if (token is not null) p.Add(new("NextToken", token));
            var result = await Call(action, p, ids.Count == 1 ? ids[0] : null, ct).ConfigureAwait(false);
            foreach (var item in Items(result, set)) yield return item;
            token = Text(result, "nextToken");
            if (token is not null && !seen.Add(token))
                throw new OpsException("Ec2PagingLoop", OpsErrorCategory.InvalidResult, $"EC2 returned a {action} NextToken it had already given: paging stopped instead of looping.");
        } while (token is not null);
    }

    private static string? Text(XElement e, string name) => e.Element(Ns + name)?.Value is { Length: > 0 } v ? v : null;
    private static int? Int(XElement e, string name) => int.TryParse(Text(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    private static IEnumerable<XElement> Items(XElement e, string set) => e.Element(Ns + set)?.Elements(Ns + "item") ?? Enumerable.Empty<XElement>();

    private OpsException Timeout(string action, object? target, Exception ex) =>
        new("Ec2Timeout", OpsErrorCategory.OperationTimeout, $"EC2 did not answer {action} within {Waiting.Waiter.Format(_http.Timeout)} (retries included).", target, ExceptionSanitizer.Sanitize(ex));

    /// <summary>The one error funnel: every EC2 request goes through here (see the class's summary).</summary>
    private async Task<XElement> Call(string action, List<KeyValuePair<string, string>> parameters, object? target, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", ApiVersion) };
        form.AddRange(parameters);
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new FormUrlEncodedContent(form) };
        RetryHandler.MarkIdempotent(request); // reads only
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (!ct.IsCancellationRequested)
        {
            throw new OpsException("Ec2Unreachable", OpsErrorCategory.ConnectionError, $"EC2 at {_http.BaseAddress} could not be reached ({action}): {ex.Message}", target, ExceptionSanitizer.Sanitize(ex));
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is TimeoutException || ex is OperationCanceledException))
        {
            throw Timeout(action, target, ex);
        }
        using (response)
        {
            var body = await AwsBody.ReadAsync(response, MaxResponseBytes, _http.Timeout, new AwsBody.Failures(
                (size, _) => new OpsException("Ec2ResponseTooLarge", OpsErrorCategory.LimitsExceeded, $"The {action} answer is larger than {MaxResponseBytes:N0} bytes ({size:N0}); it was not read.", target),
                ex => Timeout(action, target, ex),
                ex => new OpsException("Ec2Unreachable", OpsErrorCategory.ConnectionError, $"EC2 at {_http.BaseAddress} dropped the connection while answering {action}: {ex.Message}", target, ExceptionSanitizer.Sanitize(ex))), ct)
                .ConfigureAwait(false);
            XDocument doc;
            try
            {
                doc = XDocument.Parse(body);
            }
            catch (XmlException)
            {
                throw AwsErrors.From(null, $"{action}: the answer is not XML: {(body.Length > 200 ? body[..200] + "..." : body)}", response.StatusCode, null, target);
            }
            if (!response.IsSuccessStatusCode || doc.Root?.Name.LocalName == "Response")
            {
                string? Field(XContainer? c, string name) => c?.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
                var error = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                var status = response.IsSuccessStatusCode ? System.Net.HttpStatusCode.BadRequest : response.StatusCode;
                throw AwsErrors.From(Field(error, "Code"), Field(error, "Message"), status, Field(doc.Root, "RequestID"), target);
            }
            return doc.Root!;
        }
    }
}
