namespace RealEstateOps.Engine.S3;

internal static class S3Time
{
    /// <summary>The SDK's DateTime (UTC, local or unspecified-as-UTC) as a UTC DateTimeOffset.</summary>
    public static DateTimeOffset Utc(DateTime? value)
    {
        if (value is not { } v) return default;
        return v.Kind == DateTimeKind.Local ? new DateTimeOffset(v.ToUniversalTime(), TimeSpan.Zero) : new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc), TimeSpan.Zero);
    }
}
