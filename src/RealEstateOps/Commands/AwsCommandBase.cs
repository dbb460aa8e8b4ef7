using System.Management.Automation;
using RealEstateOps.Engine.Aws;

namespace RealEstateOps.Commands;

/// <summary>
/// Base of every AWS cmdlet: -Region, -ProfileName and -EndpointUrl (each defaulting from the active
/// context), -AllowInsecureEndpoint (plain http to another host, this command only), resolved once per command, with -Verbose saying where region, credentials and endpoint came from.
/// </summary>
public abstract class AwsCommandBase : OpsCommandBase
{
    private readonly Dictionary<string, AwsTarget> _targets = new(StringComparer.OrdinalIgnoreCase);

    [Parameter] public string? Region { get; set; }
    [Parameter] public string? ProfileName { get; set; }
    [Parameter] public string? EndpointUrl { get; set; }

    /// <summary>
    /// Accept an endpoint override on plain http:// to a host other than this machine (for this command only;
    /// loopback hosts never need it). Without it such an endpoint is refused (EndpointInsecure).
    /// </summary>
    [Parameter] public SwitchParameter AllowInsecureEndpoint { get; set; }

    /// <summary>Region, credentials and endpoint for one service (s3, rds, eks); a failure here ends the command.</summary>
    protected AwsTarget Aws(string service)
    {
        if (_targets.TryGetValue(service, out var known)) return known;
        var target = AwsResolver.Resolve(service, new AwsParameters(Region, ProfileName, EndpointUrl, AllowInsecureEndpoint), ActiveContext);
        foreach (var line in target.Describe()) WriteVerbose(line + ".");
        _targets[service] = target;
        return target;
    }
}
