using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Eks;

namespace RealEstateOps.Engine.Tests.Eks;

public class EksVersionTests
{
    [Theory]
    [InlineData("1.32", 1, 32)]
    [InlineData("v1.32.3-eks-473151a", 1, 32)]
    [InlineData("1.33.0-20250519", 1, 33)]
    [InlineData(" 1.9 ", 1, 9)]
    public void Parses_minors_kubelet_and_release_versions(string text, int major, int minor) => Assert.Equal(new EksVersion(major, minor), EksVersion.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("latest")]
    [InlineData("1.x")]
    public void Anything_else_is_EksVersionInvalid(string text) => Assert.Equal("EksVersionInvalid", Assert.Throws<OpsException>(() => EksVersion.Parse(text)).ErrorId);

    [Fact]
    public void Minors_compare_as_numbers_not_text()
    {
        Assert.True(EksVersion.Parse("1.10") > EksVersion.Parse("1.9"));
        Assert.Equal("1.33", EksVersion.Parse("1.32").Next.ToString());
    }

    [Theory]
    [InlineData("1.33", "1.33", true)]
    [InlineData("1.33", "1.30", true)]
    [InlineData("1.33", "1.29", false)]
    [InlineData("1.32", "1.33", false)]
    public void Kubelets_may_trail_by_three_minors_and_never_lead(string plane, string kubelet, bool allowed) =>
        Assert.Equal(allowed, EksVersion.IsKubeletAllowed(EksVersion.Parse(plane), EksVersion.Parse(kubelet)));

    [Fact]
    public void A_skip_names_the_minors_it_skips()
    {
        var refusal = EksVersion.StepRefusal("c", EksVersion.Parse("1.31"), EksVersion.Parse("1.34"))!;
        Assert.Equal("EksVersionSkip", refusal.ErrorId);
        Assert.Contains("skips 1.32, 1.33", refusal.Message);
        Assert.Null(EksVersion.StepRefusal("c", EksVersion.Parse("1.31"), EksVersion.Parse("1.32")));
    }

    [Fact]
    public void Add_on_versions_order_by_their_numbers()
    {
        var versions = new[] { "v1.19.2-eksbuild.10", "v1.9.0-eksbuild.1", "v1.19.2-eksbuild.2", "v1.20.0-eksbuild.1" };
        Assert.Equal(new[] { "v1.9.0-eksbuild.1", "v1.19.2-eksbuild.2", "v1.19.2-eksbuild.10", "v1.20.0-eksbuild.1" }, versions.Order(EksVersion.AddonVersionComparer));
    }
}
