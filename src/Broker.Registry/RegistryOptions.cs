using System.Globalization;
using Broker.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace Broker.Registry;

/// <summary>
/// Settings of the PostgreSQL registry, from the <c>Postgres</c> configuration section. An empty
/// <see cref="ConnectionString"/> means "no database": the broker runs on in-memory stores.
/// </summary>
public sealed record RegistryOptions
{
    /// <summary>Npgsql connection string. <value>Default empty (in-memory stores).</value></summary>
    public string ConnectionString { get; init; } = "";
    /// <summary>Time the readiness check waits for PostgreSQL before reporting it degraded. <value>Default 2 s.</value></summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Time a read for /api/v1/providers (registry list, stats) may take before the last good answer is used. <value>Default 2 s.</value></summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Query-log entries held in memory while PostgreSQL is slow or down; more are dropped. <value>Default 10 000.</value></summary>
    public int QueryLogCapacity { get; init; } = 10_000;
    /// <summary>Most query-log entries written in one batch. <value>Default 200.</value></summary>
    public int QueryLogBatchSize { get; init; } = 200;
    /// <summary>First delay before a background retry (doubling). <value>Default 500 ms.</value></summary>
    public TimeSpan RetryInitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Longest delay between background retries. <value>Default 30 s.</value></summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Window of the provider health statistics. <value>Default 1 hour.</value></summary>
    public TimeSpan StatsWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>True when a connection string is configured.</summary>
    public bool UsesPostgres => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>
    /// Reads the <c>Postgres</c> section (keys as the property names; durations as 250ms, 2s, 1h).
    /// Throws <see cref="ArgumentException"/> naming the bad key.
    /// </summary>
    public static RegistryOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Postgres");
        var d = new RegistryOptions();
        var options = new RegistryOptions
        {
            ConnectionString = section["ConnectionString"] ?? "",
            ReadinessTimeout = Duration(section, nameof(ReadinessTimeout), d.ReadinessTimeout),
            ReadTimeout = Duration(section, nameof(ReadTimeout), d.ReadTimeout),
            QueryLogCapacity = Int(section, nameof(QueryLogCapacity), d.QueryLogCapacity, 1, 10_000_000),
            QueryLogBatchSize = Int(section, nameof(QueryLogBatchSize), d.QueryLogBatchSize, 1, 10_000),
            RetryInitialDelay = Duration(section, nameof(RetryInitialDelay), d.RetryInitialDelay),
            RetryMaxDelay = Duration(section, nameof(RetryMaxDelay), d.RetryMaxDelay),
            StatsWindow = Duration(section, nameof(StatsWindow), d.StatsWindow),
        };
        return options;
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (ConfigSection.TryParseDuration(text, out var value) && value > TimeSpan.Zero) return value;
        throw new ArgumentException($"Postgres:{key} '{text}' is not a duration (examples: 250ms, 2s, 1h)");
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        throw new ArgumentException($"Postgres:{key} '{text}' must be a whole number from {min} to {max}");
    }
}
