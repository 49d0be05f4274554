namespace Broker.Registry.Database;

/// <summary>
/// Npgsql reads timestamptz as a UTC <see cref="DateTime"/>; rows are read into DateTime fields and turned into
/// <see cref="DateTimeOffset"/> here (written values are always DateTimeOffset with offset zero).
/// </summary>
internal static class Time
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? value) => value is null ? null : Utc(value.Value);
}
