using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RealEstateOps.Sandbox.Control;

namespace RealEstateOps.Sandbox.Rds;

/// <summary>
/// The EC2 reads the database runbook needs (Query protocol, API version 2016-11-15): DescribeSecurityGroups and DescribeSubnets over
/// the platform's network (<see cref="RdsNetwork"/>; wire format <see cref="Ec2Xml"/>). EC2 and RDS share the Query protocol's POST /:
/// the RDS service's endpoint hands requests signed for ec2 to <see cref="HandleAsync"/>. This class only routes.
/// </summary>
public sealed class Ec2Service : ISandboxService
{
    private readonly RdsNetwork _network = new();

    public string Name => "ec2";

    internal RdsNetwork Network => _network;

    public bool Owns(HttpRequest request) =>
        request.Headers.Authorization.ToString().Contains("/ec2/aws4_request", StringComparison.Ordinal) ||
        request.Query["X-Amz-Credential"].ToString().Contains("/ec2/", StringComparison.Ordinal);

    public string OperationOf(HttpRequest request)
    {
        if (request.Query["Action"].ToString() is { Length: > 0 } a) return a;
        try { return request.HasFormContentType ? request.Form["Action"].ToString() : request.Method; }
        catch (Exception ex) when (ex is IOException or InvalidDataException or BadHttpRequestException) { return request.Method; }
    }

    public FaultKind ThrottleFault => new(503, "RequestLimitExceeded");

    public Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        return context.Response.WriteAsync(Ec2Xml.Error(code, message));
    }

    public async Task<bool> AuthenticateAsync(HttpContext context, SandboxContext sandbox)
    {
        var result = await sandbox.SigV4.VerifyAsync(context.Request, context.RequestAborted);
        if (result.Ok) return true;
        var (status, code, message) = result.Failure switch
        {
            Security.SigV4Failure.Missing => (401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
            Security.SigV4Failure.UnknownAccessKey => (401, "AuthFailure", "AWS was not able to validate the provided access credentials"),
            Security.SigV4Failure.Skewed or Security.SigV4Failure.Expired => (400, "RequestExpired", "Request has expired. " + result.Message),
            _ => (403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."),
        };
        if (!context.Response.HasStarted) await WriteErrorAsync(context, status, code, message);
        return false;
    }

    /// <summary>Nothing of its own to map: RDS's POST / hands EC2's requests over (see the class's summary).</summary>
    public void Map(IEndpointRouteBuilder endpoints, SandboxContext sandbox) { }

    internal async Task HandleAsync(HttpContext http)
    {
        var p = await RdsParameters.ReadAsync(http.Request, http.RequestAborted);
        var action = p["Action"] ?? "";
        try
        {
            if (p["Version"] is { } version && version != "2016-11-15")
                throw new RdsFault(400, "InvalidParameterValue", $"Unsupported API version {version}; this endpoint speaks 2016-11-15.");
            var body = action switch
            {
                "DescribeSecurityGroups" => DescribeSecurityGroups(p),
                "DescribeSubnets" => DescribeSubnets(p),
                "" => throw new RdsFault(400, "MissingAction", "The request must contain the parameter Action."),
                _ => throw new RdsFault(400, "InvalidAction", $"The action {action} is not valid for this web service."),
            };
            http.Response.ContentType = "text/xml";
            await http.Response.WriteAsync(body, http.RequestAborted);
        }
        catch (RdsFault f)
        {
            await WriteErrorAsync(http, f.Status, f.Code, f.Message);
        }
    }

    private static List<string> Ids(RdsParameters p, string name)
    {
        var ids = p.Members(name + ".");
        if (ids.Count == 0) ids = p.Members(name + "s.member.");
        return ids;
    }

    private static (List<T> Page, string? Next) Page<T>(RdsParameters p, List<T> all)
    {
        var max = 1000;
        if (p["MaxResults"] is { Length: > 0 } m && (!int.TryParse(m, NumberStyles.Integer, CultureInfo.InvariantCulture, out max) || max is < 5 or > 1000))
            throw new RdsFault(400, "InvalidParameterValue", $"Value ( {m} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        var start = 0;
        if (p["NextToken"] is { Length: > 0 } token)
            try { start = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw new RdsFault(400, "InvalidParameterValue", "The token is not valid."); }
        var page = all.Skip(start).Take(max).ToList();
        var next = start + page.Count;
        return (page, next < all.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture))) : null);
    }

    private string DescribeSecurityGroups(RdsParameters p)
    {
        var ids = Ids(p, "GroupId");
        var groups = _network.SecurityGroups.ToList();
        if (ids.Count > 0)
        {
            var missing = ids.FirstOrDefault(id => groups.All(g => g.Id != id));
            if (missing is not null) throw new RdsFault(400, "InvalidGroup.NotFound", $"The security group '{missing}' does not exist");
            groups = groups.Where(g => ids.Contains(g.Id)).ToList();
        }
        var (page, next) = Page(p, groups);
        return Ec2Xml.Response("DescribeSecurityGroups", Ec2Xml.Set("securityGroupInfo", page.Select(Ec2Xml.SecurityGroup)), next is null ? null : Ec2Xml.NextToken(next));
    }

    private string DescribeSubnets(RdsParameters p)
    {
        var ids = Ids(p, "SubnetId");
        var subnets = _network.Subnets.ToList();
        if (ids.Count > 0)
        {
            var missing = ids.FirstOrDefault(id => subnets.All(s => s.Id != id));
            if (missing is not null) throw new RdsFault(400, "InvalidSubnetID.NotFound", $"The subnet ID '{missing}' does not exist");
            subnets = subnets.Where(s => ids.Contains(s.Id)).ToList();
        }
        var (page, next) = Page(p, subnets);
        return Ec2Xml.Response("DescribeSubnets", Ec2Xml.Set("subnetSet", page.Select(Ec2Xml.Subnet)), next is null ? null : Ec2Xml.NextToken(next));
    }
}
