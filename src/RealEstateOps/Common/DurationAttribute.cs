using System.Management.Automation;
using RealEstateOps.Engine.Common;

namespace RealEstateOps.Common;

/// <summary>
/// Lets -Timeout and similar parameters take what an operator types: 30 (seconds), '90s', '5m', '2h',
/// '00:10:00', or a TimeSpan. (A bare number would otherwise become ticks.)
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class DurationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            TimeSpan t => t,
            null => throw new ArgumentTransformationMetadataException("A duration is required."),
            _ => Duration.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), out var d)
                ? d
                : throw new ArgumentTransformationMetadataException($"'{value}' is not a duration: use seconds (30), 90s, 5m, 2h or hh:mm:ss."),
        };
    }
}
