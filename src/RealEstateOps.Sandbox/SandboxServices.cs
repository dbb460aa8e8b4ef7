namespace RealEstateOps.Sandbox;

/// <summary>The emulated services, in the order requests are offered to them.</summary>
public static class SandboxServices
{
    public static IEnumerable<ISandboxService> All(SandboxOptions options)
    {
        foreach (var extra in options.ExtraServices) yield return extra;
        yield return new S3.S3Service(); // S3 (issue 3)
    }
}
