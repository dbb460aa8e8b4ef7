using RealEstateOps.Engine.Maintenance;

namespace RealEstateOps.Commands.Maintenance;

/// <summary>What the maintenance cmdlets share: -At as an instant, -Kind as kinds.</summary>
internal static class MaintenanceTime
{
    /// <summary>A -At value as an instant: a local or UTC time as it says, a time without a zone ('2025-01-25 02:00') as UTC.</summary>
    public static DateTimeOffset? Moment(DateTime? at) => at switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        { } t => new DateTimeOffset(t.ToUniversalTime()),
    };

    public static IEnumerable<MaintenanceKind> Kinds(string[]? names) =>
        names is { Length: > 0 }
            ? names.Select(n => Enum.Parse<MaintenanceKind>(n, ignoreCase: true)).Distinct()
            : Enum.GetValues<MaintenanceKind>();
}
