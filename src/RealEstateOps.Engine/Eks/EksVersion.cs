using System.Globalization;
using System.Text.RegularExpressions;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Eks;

/// <summary>
/// A Kubernetes minor version as EKS names them ("1.32"), parsed also from kubelet and AMI release versions
/// ("v1.32.3-eks-473151a", "1.32.3-20250519"), with the rules an upgrade follows: the control plane moves one minor
/// at a time, a kubelet may trail the control plane by up to <see cref="MaxKubeletLag"/> minors and never lead it.
/// Also compares add-on versions ("v1.19.2-eksbuild.1").
/// </summary>
public readonly partial record struct EksVersion(int Major, int Minor) : IComparable<EksVersion>
{
    /// <summary>How many minors a kubelet may trail the control plane (Kubernetes' version skew policy since 1.28).</summary>
    public const int MaxKubeletLag = 3;

    [GeneratedRegex(@"^\s*v?(\d+)\.(\d+)(?:[.\-+].*)?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out EksVersion version)
    {
        version = default;
        if (text is null) return false;
        var m = Pattern().Match(text);
        if (!m.Success || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return false;
        version = new EksVersion(major, minor);
        return true;
    }

    /// <summary>Parses "1.32" (or "v1.32.3-eks-..."); anything else is EksVersionInvalid.</summary>
    public static EksVersion Parse(string? text, string what = "KubernetesVersion") =>
        TryParse(text, out var v) ? v : throw new OpsException("EksVersionInvalid", OpsErrorCategory.InvalidArgument,
            $"'{text}' is not a Kubernetes version: give {what} as major.minor, e.g. 1.33.", text);

    /// <summary>The next minor: 1.32 → 1.33.</summary>
    public EksVersion Next => this with { Minor = Minor + 1 };

    /// <summary>How many minors this is ahead of <paramref name="other"/> (negative when behind; only the same major counts minors).</summary>
    public int MinorsAfter(EksVersion other) => Major == other.Major ? Minor - other.Minor : (Major - other.Major) * 1000;

    public int CompareTo(EksVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(EksVersion a, EksVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(EksVersion a, EksVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(EksVersion a, EksVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(EksVersion a, EksVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>
    /// Whether a kubelet at <paramref name="kubelet"/> may run under a control plane at <paramref name="controlPlane"/>:
    /// not ahead of it, and at most <see cref="MaxKubeletLag"/> minors behind.
    /// </summary>
    public static bool IsKubeletAllowed(EksVersion controlPlane, EksVersion kubelet) =>
        kubelet <= controlPlane && controlPlane.MinorsAfter(kubelet) <= MaxKubeletLag;

    /// <summary>
    /// Why moving the control plane from <paramref name="current"/> to <paramref name="target"/> is not one allowed step, or
    /// null when it is: the same minor (EksVersionCurrent), a downgrade (EksVersionDowngrade), or more than one minor (EksVersionSkip).
    /// </summary>
    public static OpsException? StepRefusal(string cluster, EksVersion current, EksVersion target)
    {
        if (target == current)
            return new OpsException("EksVersionCurrent", OpsErrorCategory.InvalidArgument,
                $"The control plane of '{cluster}' is already at {current}; nothing to update.", cluster);
        if (target < current)
            return new OpsException("EksVersionDowngrade", OpsErrorCategory.InvalidArgument,
                $"The control plane of '{cluster}' is at {current}; EKS cannot downgrade it to {target}.", cluster);
        if (target != current.Next)
            return new OpsException("EksVersionSkip", OpsErrorCategory.InvalidArgument,
                $"The control plane of '{cluster}' is at {current}; EKS moves it one minor at a time, so {target} skips " +
                $"{string.Join(", ", Enumerable.Range(current.Minor + 1, Math.Max(0, target.Minor - current.Minor - 1)).Select(m => $"{current.Major}.{m}"))}. " +
                $"Update to {current.Next} first (node groups and add-ons too), then to the next.", cluster)
            { RecommendedAction = $"Update-EksCluster -KubernetesVersion {current.Next}" };
        return null;
    }

    /// <summary>
    /// Orders add-on versions ("v1.19.2-eksbuild.1" &lt; "v1.19.2-eksbuild.2" &lt; "v1.20.0-eksbuild.1"): runs of digits compare
    /// as numbers, everything else ordinally, a leading 'v' ignored.
    /// </summary>
    public static int CompareAddonVersions(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var x = Tokens(a.TrimStart('v', 'V'));
        var y = Tokens(b.TrimStart('v', 'V'));
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            var (xs, ys) = (x[i], y[i]);
            var xn = char.IsAsciiDigit(xs[0]);
            var yn = char.IsAsciiDigit(ys[0]);
            int c;
            if (xn && yn)
            {
                var xt = xs.TrimStart('0');
                var yt = ys.TrimStart('0');
                c = xt.Length != yt.Length ? xt.Length.CompareTo(yt.Length) : string.CompareOrdinal(xt, yt);
            }
            else c = xn != yn ? (xn ? 1 : -1) : string.CompareOrdinal(xs, ys);
            if (c != 0) return c;
        }
        return x.Count.CompareTo(y.Count);
    }

    private static List<string> Tokens(string s)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            var digit = char.IsAsciiDigit(s[i]);
            var j = i;
            while (j < s.Length && char.IsAsciiDigit(s[j]) == digit) j++;
            tokens.Add(s[i..j]);
            i = j;
        }
        return tokens;
    }

    /// <summary>An <see cref="IComparer{T}"/> for add-on versions (<see cref="CompareAddonVersions"/>).</summary>
    public static IComparer<string> AddonVersionComparer { get; } = Comparer<string>.Create(CompareAddonVersions);
}
