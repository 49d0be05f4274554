using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Broker.Sessions;

/// <summary>
/// Session, stored-result, cache and rate-limit settings, read from the <c>Sessions</c> configuration section;
/// <see cref="RedisConfiguration"/> comes from <c>Redis:Configuration</c> (empty: in-memory stores).
/// </summary>
public sealed record BrokerSessionOptions
{
    /// <summary>Name of the session cookie. <value>Default <c>vso_session</c>.</value></summary>
    public string CookieName { get; init; } = "vso_session";
    /// <summary>Sliding expiry of an idle session (and everything stored for it). <value>Default 24 h.</value></summary>
    public TimeSpan Expiry { get; init; } = TimeSpan.FromHours(24);
    /// <summary>
    /// Lifetime of a session that has not been used since it was issued. Every cookie-less request is issued one
    /// (a script without a cookie jar makes one per request), so an unused session must be cheap: it expires soon,
    /// and the sliding <see cref="Expiry"/> starts at its second use. <value>Default 10 min.</value>
    /// </summary>
    public TimeSpan FirstUseExpiry { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Queries kept in a session's history; older ones are dropped with their records. <value>Default 20.</value></summary>
    public int MaxStoredQueries { get; init; } = 20;
    /// <summary>Records stored per query (paging beyond them is not possible). <value>Default 10 000.</value></summary>
    public int MaxStoredRecords { get; init; } = 10_000;
    /// <summary>Requests per minute per session on rate-limited paths; 0 turns the limit off. <value>Default 120.</value></summary>
    public int RateLimitPerMinute { get; init; } = 120;
    /// <summary>Path prefixes the rate limit applies to.</summary>
    public IReadOnlyList<string> RateLimitedPaths { get; init; } =
        ["/api/v1/search", "/api/v1/getdata", "/soap", "/cgi-bin/vsoi", "/cgi-bin/vsoi_tabdelim", "/tap/sync", "/tap/async"];
    /// <summary>Path prefixes that never get a session (probes, metrics, the API document and its reference page, download links, which carry their own).</summary>
    public IReadOnlyList<string> SessionlessPaths { get; init; } = ["/health", "/metrics", "/openapi", "/docs", "/api/v1/download"];
    /// <summary>Path prefixes of the SOAP endpoints, whose bodies may carry the session in <c>info/required</c>.</summary>
    public IReadOnlyList<string> SoapPaths { get; init; } = ["/soap", "/cgi-bin/vsoi", "/cgi-bin/vsoi_tabdelim"];
    /// <summary>Longest any single Redis call may take before the request goes on without it. <value>Default 250 ms.</value></summary>
    public TimeSpan RedisTimeout { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Longest pause between attempts while Redis is failing (backoff doubles up to it). <value>Default 5 s.</value></summary>
    public TimeSpan RedisMaxBackoff { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Coalesce identical provider calls across broker instances through a Redis lock. <value>Default true.</value></summary>
    public bool CoalesceAcrossInstances { get; init; } = true;
    /// <summary>Lifetime of the cross-instance call lock; a waiter gives up and calls the provider itself after it. <value>Default 10 s.</value></summary>
    public TimeSpan CoalesceLockTime { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Most entries of the in-memory answer cache. <value>Default 1000.</value></summary>
    public int MemoryCacheEntries { get; init; } = 1000;
    /// <summary>Most sessions the in-memory store keeps; the least recently seen go first. <value>Default 10 000.</value></summary>
    public int MemoryMaxSessions { get; init; } = 10_000;
    /// <summary>Most records the in-memory store keeps over all sessions' results. <value>Default 2 000 000.</value></summary>
    public long MemoryMaxStoredRecords { get; init; } = 2_000_000;
    /// <summary>
    /// Key of the short hash that stands for a session id in logs (<see cref="SessionId.ForLog"/>); give every
    /// instance behind one load balancer the same key so one user's lines match. <value>Default: random per process.</value>
    /// </summary>
    public string? LogHashKey { get; init; }
    /// <summary>StackExchange.Redis configuration string (<c>Redis:Configuration</c>); null or empty: in-memory stores.</summary>
    public string? RedisConfiguration { get; init; }

    /// <summary>How long a session just issued lives until its second use: <see cref="FirstUseExpiry"/>, at most <see cref="Expiry"/>.</summary>
    public TimeSpan IssuedLifetime => FirstUseExpiry < Expiry ? FirstUseExpiry : Expiry;

    /// <summary>True when a Redis server is configured.</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(RedisConfiguration);

    /// <summary>Reads the options; a malformed value throws <see cref="InvalidOperationException"/> naming the key.</summary>
    public static BrokerSessionOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Sessions");
        var defaults = new BrokerSessionOptions();
        return new BrokerSessionOptions
        {
            CookieName = section["CookieName"] is { Length: > 0 } name ? name : defaults.CookieName,
            Expiry = Duration(section, "Expiry", defaults.Expiry),
            FirstUseExpiry = Duration(section, "FirstUseExpiry", defaults.FirstUseExpiry),
            MaxStoredQueries = Integer(section, "MaxStoredQueries", defaults.MaxStoredQueries, 1),
            MaxStoredRecords = Integer(section, "MaxStoredRecords", defaults.MaxStoredRecords, 0),
            RateLimitPerMinute = Integer(section, "RateLimitPerMinute", defaults.RateLimitPerMinute, 0),
            RateLimitedPaths = List(section, "RateLimitedPaths") ?? defaults.RateLimitedPaths,
            SessionlessPaths = List(section, "SessionlessPaths") ?? defaults.SessionlessPaths,
            SoapPaths = List(section, "SoapPaths") ?? defaults.SoapPaths,
            RedisTimeout = Duration(section, "RedisTimeout", defaults.RedisTimeout),
            RedisMaxBackoff = Duration(section, "RedisMaxBackoff", defaults.RedisMaxBackoff),
            CoalesceAcrossInstances = Boolean(section, "CoalesceAcrossInstances", defaults.CoalesceAcrossInstances),
            CoalesceLockTime = Duration(section, "CoalesceLockTime", defaults.CoalesceLockTime),
            MemoryCacheEntries = Integer(section, "MemoryCacheEntries", defaults.MemoryCacheEntries, 0),
            MemoryMaxSessions = Integer(section, "MemoryMaxSessions", defaults.MemoryMaxSessions, 1),
            MemoryMaxStoredRecords = Integer(section, "MemoryMaxStoredRecords", (int)defaults.MemoryMaxStoredRecords, 0),
            LogHashKey = section["LogHashKey"] is { Length: > 0 } logKey ? logKey : null,
            RedisConfiguration = configuration["Redis:Configuration"],
        };
    }

    private static TimeSpan Duration(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero) return value;
        throw new InvalidOperationException($"Sessions:{key} = '{text}' is not a positive duration (e.g. 24:00:00 or 00:00:00.250)");
    }

    private static int Integer(IConfigurationSection section, string key, int fallback, int min)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min) return value;
        throw new InvalidOperationException($"Sessions:{key} = '{text}' is not a whole number ≥ {min}");
    }

    private static bool Boolean(IConfigurationSection section, string key, bool fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (bool.TryParse(text, out var value)) return value;
        throw new InvalidOperationException($"Sessions:{key} = '{text}' is not true or false");
    }

    private static IReadOnlyList<string>? List(IConfigurationSection section, string key)
    {
        var child = section.GetSection(key);
        if (child.Value is { } inline) return inline.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var items = child.GetChildren().Select(c => c.Value).OfType<string>().ToList();
        return items.Count > 0 ? items : null;
    }
}
