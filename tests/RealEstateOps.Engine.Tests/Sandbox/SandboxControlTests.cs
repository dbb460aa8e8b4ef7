using RealEstateOps.Engine.Common;
using RealEstateOps.Engine.Sandbox;
using RealEstateOps.Sandbox;

namespace RealEstateOps.Engine.Tests.Sandbox;

/// <summary>What the module checks before it asks the sandbox for a change: the service a fault is for, and the clock's speed.</summary>
public class SandboxControlTests
{
    [Fact]
    public void The_shipped_service_names_are_the_sandbox_programs_own()
    {
        // Tab completion offers these when no sandbox is recorded: they must be the services the program really emulates.
        var program = SandboxServices.All(new SandboxOptions()).Select(s => s.Name).Order();
        Assert.Equal(program, SandboxServiceNames.Shipped.Order());
    }

    [Theory]
    [InlineData("eks")]
    [InlineData("s3x")]
    [InlineData("")]
    public void A_service_the_sandbox_does_not_have_is_SandboxServiceUnknown_naming_those_it_has(string service)
    {
        var ex = Assert.Throws<OpsException>(() => new SandboxFaults { Service = service, ErrorRate = 0.5 }.Validate(new[] { "s3", "kubernetes", "rds" }));
        Assert.Equal(("SandboxServiceUnknown", OpsErrorCategory.InvalidArgument), (ex.ErrorId, ex.Category));
        Assert.Contains("s3, kubernetes, rds, or * for all", ex.Message);
    }

    [Theory]
    [InlineData("s3")]
    [InlineData("Kubernetes")]
    [InlineData("*")]
    public void The_sandboxs_services_and_all_of_them_are_accepted(string service) =>
        new SandboxFaults { Service = service, ErrorRate = 0.5 }.Validate(new[] { "s3", "kubernetes", "rds" });

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(SandboxSpeed.Max + 1)]
    public void A_speed_out_of_range_is_SandboxSpeedInvalid(double speed)
    {
        Assert.False(SandboxSpeed.IsValid(speed));
        Assert.Equal("SandboxSpeedInvalid", Assert.Throws<OpsException>(() => SandboxSpeed.Validate(speed)).ErrorId);
    }
}
