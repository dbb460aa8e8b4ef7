using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Context;
using RealEstateOps.Engine.Tests.Support;

namespace RealEstateOps.Engine.Tests.Prometheus;

/// <summary>The context's monitoring thresholds: the runbook's defaults, stored values over them, ranges checked, sources told.</summary>
public class ThresholdSettingsTests
{
    [Fact]
    public void Defaults_are_the_alert_rules_thresholds_and_stored_values_win()
    {
        using var dir = new TempDir();
        var store = new ContextStore(dir.Paths);
        var d = store.LoadEffective("default");
        Assert.Equal((5.0, 1000), (d.ErrorRateThresholdPercent, d.LatencyP95ThresholdMs));

        store.Save(new OpsContext { Name = "strict", ErrorRateThresholdPercent = 0.5, LatencyP95ThresholdMs = 250 });
        var strict = ContextView.Of(store, "strict", null);
        Assert.Equal((0.5, 250), (strict.ErrorRateThresholdPercent, strict.LatencyP95ThresholdMs));
        Assert.Contains(strict.Sources, s => s.Setting == "ErrorRateThresholdPercent" && (double)s.Value! == 0.5 && s.Source == "context 'strict'");
        Assert.Contains(nameof(OpsContext.LatencyP95ThresholdMs), ContextSettings.Names);

        var active = new ActiveContext(new Resolved<string>("strict", "test"), store.LoadStored("strict"), strict);
        var fromContext = active.Resolve((double?)null, "ErrorRateThresholdPercent", c => c.ErrorRateThresholdPercent)!.Value;
        Assert.Equal((0.5, "context 'strict'"), (fromContext.Value, fromContext.Source));
        var given = active.Resolve((double?)9.0, "ErrorRateThresholdPercent", c => c.ErrorRateThresholdPercent)!.Value;
        Assert.Equal((9.0, "parameter -ErrorRateThresholdPercent"), (given.Value, given.Source));

        var cleared = store.LoadStored("strict");
        ContextSettings.Clear(cleared, "ErrorRateThresholdPercent");
        Assert.Null(cleared.ErrorRateThresholdPercent);
    }

    [Theory]
    [InlineData(0.0, null)]
    [InlineData(100.5, null)]
    [InlineData(double.NaN, null)]
    [InlineData(null, 0)]
    [InlineData(null, 600_001)]
    public void Values_out_of_range_are_refused(double? errorRate, int? latency)
    {
        using var dir = new TempDir();
        var ex = Assert.Throws<OpsException>(() => new ContextStore(dir.Paths).Save(new OpsContext { Name = "bad", ErrorRateThresholdPercent = errorRate, LatencyP95ThresholdMs = latency }));
        Assert.Equal("OpsContextValueInvalid", ex.ErrorId);
    }
}
