using RealEstateOps.Engine.Alertmanager;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Engine.Tests.Alertmanager;

public class AlertMatcherTests
{
    [Theory]
    [InlineData("alertname=HighErrorRate", "alertname", "HighErrorRate", false, true)]
    [InlineData("service=~api.*", "service", "api.*", true, true)]
    [InlineData("service=~\"api.*\"", "service", "api.*", true, true)]
    [InlineData("severity!=info", "severity", "info", false, false)]
    [InlineData(" namespace !~ \"kube-.*\" ", "namespace", "kube-.*", true, false)]
    [InlineData("summary=\"say \\\"hi\\\"\"", "summary", "say \"hi\"", false, true)]
    [InlineData("node=", "node", "", false, true)]
    public void Parses_amtool_syntax(string text, string name, string value, bool isRegex, bool isEqual)
    {
        var m = AlertMatcher.Parse(text);
        Assert.Equal((name, value, isRegex, isEqual), (m.Name, m.Value, m.IsRegex, m.IsEqual));
    }

    [Theory]
    [InlineData("alertname")]
    [InlineData("=value")]
    [InlineData("1abc=x")]
    [InlineData("a=b\"c")]
    [InlineData("a==b\"")]
    public void Refuses_what_is_not_a_matcher(string text)
    {
        var ex = Assert.Throws<OpsException>(() => AlertMatcher.Parse(text));
        Assert.Equal("AlertMatcherInvalid", ex.ErrorId);
    }

    [Fact]
    public void Writes_the_filter_syntax_quoted_and_escaped()
    {
        Assert.Equal("alertname=\"HighErrorRate\"", AlertMatcher.Parse("alertname=HighErrorRate").ToString());
        Assert.Equal("service!~\"a\\\"b\"", new AlertMatcher("service", "a\"b", isRegex: true, isEqual: false).ToString());
        Assert.Equal(AlertMatcher.Parse("x=\"a\\\\b\"").Value, AlertMatcher.Parse(AlertMatcher.Parse("x=\"a\\\\b\"").ToString()).Value);
    }

    [Fact]
    public void Matches_anchored_like_alertmanager()
    {
        var labels = new Dictionary<string, string> { ["service"] = "api-service", ["namespace"] = "real-estate-ai" };
        Assert.True(AlertMatcher.Parse("service=~api.*").Matches(labels));
        Assert.False(AlertMatcher.Parse("service=~api").Matches(labels)); // anchored: "api" is not the whole value
        Assert.True(AlertMatcher.Parse("severity=").Matches(labels));     // a missing label is ""
        Assert.False(AlertMatcher.Parse("namespace!=real-estate-ai").Matches(labels));
    }

    [Fact]
    public void AnyOf_escapes_each_value()
    {
        Assert.Equal("ip-10-0-1-21\\.ec2\\.internal|node\\(2\\)", AlertMatcher.AnyOf(new[] { "node(2)", "ip-10-0-1-21.ec2.internal", "node(2)" }));
        var m = new AlertMatcher("node", AlertMatcher.AnyOf(new[] { "a.b", "c" }), isRegex: true);
        Assert.True(m.Matches(new Dictionary<string, string> { ["node"] = "a.b" }));
        Assert.False(m.Matches(new Dictionary<string, string> { ["node"] = "axb" }));
    }
}
