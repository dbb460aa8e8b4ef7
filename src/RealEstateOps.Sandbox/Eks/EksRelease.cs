namespace RealEstateOps.Sandbox.Eks;

/// <summary>One EKS-optimized AMI release of a Kubernetes minor: its release version and the kubelet version its nodes report.</summary>
public sealed record EksRelease(string Minor, string ReleaseVersion, string KubeletVersion);

/// <summary>What EKS offers per Kubernetes minor (1.31 to 1.34): AMI releases (oldest first), the control plane's version and platform version.</summary>
public static class EksReleases
{
    public static readonly IReadOnlyList<string> Minors = new[] { "1.31", "1.32", "1.33", "1.34" };

    public static readonly IReadOnlyList<EksRelease> All = new[]
    {
        new EksRelease("1.31", "1.31.5-20250212", "v1.31.5-eks-5d632ec"),
        new EksRelease("1.31", "1.31.7-20250715", "v1.31.7-eks-0b7f9e0"),
        new EksRelease("1.32", "1.32.3-20250212", Kubernetes.KubePlatform.SeedKubeletVersion),
        new EksRelease("1.32", "1.32.7-20250715", "v1.32.7-eks-3abbec1"),
        new EksRelease("1.33", "1.33.0-20250704", "v1.33.0-eks-802817d"),
        new EksRelease("1.33", "1.33.4-20250904", "v1.33.4-eks-e386d34"),
        new EksRelease("1.34", "1.34.1-20251007", "v1.34.1-eks-113cf36"),
    };

    /// <summary>The seeded node groups' AMI release.</summary>
    public const string SeedRelease = "1.32.3-20250212";

    public static bool IsSupported(string minor) => Minors.Contains(minor);

    public static EksRelease Latest(string minor) => All.Last(r => r.Minor == minor);

    public static EksRelease? Find(string releaseVersion) => All.FirstOrDefault(r => r.ReleaseVersion == releaseVersion);

    /// <summary>The control plane's git version for a minor, as /version reports it.</summary>
    public static string ServerGitVersion(string minor) => minor switch
    {
        "1.31" => "v1.31.9-eks-5d4a308",
        "1.32" => "v1.32.3-eks-473151a",
        "1.33" => "v1.33.4-eks-e386d34",
        _ => "v1.34.1-eks-113cf36",
    };

    /// <summary>The EKS platform version a cluster of a minor runs.</summary>
    public static string PlatformVersion(string minor) => minor switch
    {
        "1.31" => "eks.27",
        "1.32" => "eks.13",
        "1.33" => "eks.9",
        _ => "eks.4",
    };

    /// <summary>"1.32" from "v1.32.3-eks-473151a" (a kubelet version); null when it is not one.</summary>
    public static string? MinorOf(string? kubeletVersion)
    {
        if (string.IsNullOrEmpty(kubeletVersion)) return null;
        var parts = kubeletVersion.TrimStart('v').Split('.', '-');
        return parts.Length >= 2 ? parts[0] + "." + parts[1] : null;
    }

    /// <summary>Minors as numbers for comparison: 1.32 → 32.</summary>
    public static int MinorNumber(string minor) =>
        minor.Split('.') is [_, var m] && int.TryParse(m, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1;

    /// <summary>A well-formed Kubernetes minor: "1.NN".</summary>
    public static bool IsMinor(string? value) => value is { Length: >= 3 } v && v.StartsWith("1.", StringComparison.Ordinal) && MinorNumber(v) >= 0;

    public static string Next(string minor) => "1." + (MinorNumber(minor) + 1);
}
