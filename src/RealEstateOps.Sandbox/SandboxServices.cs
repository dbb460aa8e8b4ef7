using System.Runtime.CompilerServices;

namespace RealEstateOps.Sandbox;

/// <summary>The emulated services, in the order requests are offered to them.</summary>
public static class SandboxServices
{
    // One set of service instances per sandbox (they hold its state); All is asked more than once.
    private static readonly ConditionalWeakTable<SandboxOptions, List<ISandboxService>> Own = new();

    public static IEnumerable<ISandboxService> All(SandboxOptions options) => options.ExtraServices
        .Concat(Own.GetValue(options, _ => new List<ISandboxService>
        {
            new S3.S3Service(), // S3 (issue 3)
            new Rds.RdsService(), // RDS (issue 4)
        }));
}
