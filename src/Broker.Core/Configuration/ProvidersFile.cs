using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Units;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Broker.Core.Configuration;

/// <summary>
/// Reads providers.yaml: <c>providers: { &lt;id&gt;: { type, url, enabled, title, capabilities, resilience, cache, auth, options } }</c>.
/// Every error is collected (file, line, key) and thrown together; unknown keys are errors.
/// </summary>
public static class ProvidersFile
{
    private static readonly Dictionary<string, QueryAttribute> AttributeNames =
        Enum.GetValues<QueryAttribute>().ToDictionary(a => a.ToString(), a => a, StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses the text of a providers file; throws <see cref="ConfigException"/> listing every error.</summary>
    public static IReadOnlyList<ProviderConfig> Parse(string yamlText, string fileName)
    {
        var errors = new ConfigErrors();
        var configs = Read(yamlText, fileName, errors);
        errors.ThrowIfAny();
        return configs;
    }

    /// <summary>
    /// Parses what it can and adds problems to <paramref name="errors"/> without throwing (except for a file that is not
    /// YAML at all), so that later checks (unknown provider types, factory options) can add theirs to the same list.
    /// </summary>
    public static IReadOnlyList<ProviderConfig> Read(string yamlText, string fileName, ConfigErrors errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            errors.Add(new ConfigError(fileName, (int)ex.Start.Line, "(syntax)", ex.InnerException?.Message ?? ex.Message));
            errors.ThrowIfAny();
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new ConfigError(fileName, 1, "(root)", "the file must be a mapping with a 'providers' key"));
            errors.ThrowIfAny();
            return [];
        }

        var top = new ConfigSection(root, fileName, "", errors);
        var providers = top.GetSection("providers");
        top.ReportUnknownKeys();
        if (providers is null)
        {
            errors.Add(new ConfigError(fileName, 1, "providers", "is required: a mapping of provider id to its settings"));
            errors.ThrowIfAny();
        }

        var result = new List<ProviderConfig>();
        foreach (var id in providers!.Keys.ToList())
        {
            var entry = providers.GetSection(id);
            if (entry is null) continue;
            if (!IsValidId(id)) entry.Error("type", $"provider id '{id}' must be letters, digits, '-' or '_'");
            var config = ParseEntry(id, entry);
            if (config is not null) result.Add(config);
        }
        if (result.Count == 0 && !errors.Any)
            errors.Add(new ConfigError(fileName, providers.Line, "providers", "no provider is defined"));
        return result;
    }

    private static ProviderConfig? ParseEntry(string id, ConfigSection entry)
    {
        var type = entry.GetString("type", required: true);
        var url = entry.GetUrl("url", required: true);
        var enabled = entry.GetBool("enabled", true);
        var title = entry.GetString("title");
        var identity = entry.GetString("identity");
        if (identity is not null && !identity.Contains("{fileId}", StringComparison.Ordinal))
            entry.Error("identity", $"'{identity}' must contain {{fileId}} (for example ivo://esavo/soar?{{fileId}})");
        var capabilities = ParseCapabilities(entry.GetSection("capabilities"));
        var resilience = ParseResilience(entry.GetSection("resilience"));
        var cache = ParseCache(entry.GetSection("cache"));
        var options = entry.GetSection("options");
        var auth = ProviderAuthReader.Read(entry.GetSection("auth"), url);
        entry.ReportUnknownKeys("type-specific settings go under 'options'");
        if (type is null || url is null) return null;
        return new ProviderConfig
        {
            Id = id, Type = type, Url = url, Enabled = enabled, Title = title, Capabilities = capabilities,
            Resilience = resilience, Cache = cache, Identity = identity, Line = entry.Line, Auth = auth,
            Options = options ?? EmptySection(entry, id),
        };
    }

    private static ConfigSection EmptySection(ConfigSection parent, string id) =>
        new(new YamlMappingNode(), parent.File, $"providers.{id}.options", parent.Errors);

    private static ProviderCapabilities ParseCapabilities(ConfigSection? s)
    {
        if (s is null) return new ProviderCapabilities();
        var caps = new ProviderCapabilities
        {
            Providers = s.GetStringList("providers"),
            Sources = s.GetStringList("sources"),
            Instruments = s.GetStringList("instruments"),
            Physobs = s.GetStringList("physobs"),
            Detectors = s.GetStringList("detectors"),
            Levels = s.GetStringList("levels"),
            Aliases = ParseAliases(s),
            CoverageStart = ParseTime(s, "coverageStart"),
            CoverageEnd = ParseTime(s, "coverageEnd"),
            Filters = ParseFilters(s),
        };
        s.ReportUnknownKeys();
        return caps;
    }

    /// <summary><c>aliases: { source: { SOLO: Solar Orbiter }, instrument: { … } }</c>: VSO value → the provider's spelling.</summary>
    private static ValueAliases ParseAliases(ConfigSection s)
    {
        var section = s.GetSection("aliases");
        if (section is null) return ValueAliases.None;
        var result = new Dictionary<QueryAttribute, IReadOnlyDictionary<string, string>>();
        foreach (var key in section.Keys.ToList())
        {
            if (AttributeNames.TryGetValue(key, out var a) && Vocabulary.Attributes.Contains(a)) result[a] = section.GetStringMap(key);
        }
        section.ReportUnknownKeys($"aliases are for {string.Join(", ", Vocabulary.Attributes.Select(x => x.ToString().ToLowerInvariant()))}");
        return new ValueAliases(result);
    }

    private static HashSet<QueryAttribute> ParseFilters(ConfigSection s)
    {
        var set = new HashSet<QueryAttribute>();
        foreach (var name in s.GetStringList("filters"))
        {
            if (AttributeNames.TryGetValue(name, out var a)) set.Add(a);
            else s.Error("filters", $"unknown attribute '{name}'; known: {string.Join(", ", AttributeNames.Keys)}");
        }
        return set;
    }

    private static DateTimeOffset? ParseTime(ConfigSection s, string key)
    {
        var text = s.GetString(key);
        if (text is null) return null;
        if (SolarTime.TryParse(text, out var t)) return t;
        s.Error(key, $"'{text}' is not a time");
        return null;
    }

    private static ResilienceSettings ParseResilience(ConfigSection? s)
    {
        var d = new ResilienceSettings();
        if (s is null) return d;
        var r = new ResilienceSettings
        {
            Timeout = s.GetDuration("timeout", d.Timeout, ResilienceSettings.MinTimeout),
            TotalTimeout = s.Has("totalTimeout") ? s.GetDuration("totalTimeout", d.Timeout, ResilienceSettings.MinTimeout) : null,
            Retries = s.GetInt("retries", d.Retries, 0, 10),
            RetryDelay = s.GetDuration("retryDelay", d.RetryDelay),
            Concurrency = s.GetInt("concurrency", d.Concurrency, 1, 1000),
            ConcurrencyQueue = s.GetInt("concurrencyQueue", d.ConcurrencyQueue, 0, 100_000),
            MaxRecords = s.GetInt("maxRecords", d.MaxRecords, 1, 10_000_000),
            BreakerFailureRatio = s.GetDouble("breakerFailureRatio", d.BreakerFailureRatio, 0.01, 1),
            BreakerMinimumThroughput = s.GetInt("breakerMinimumThroughput", d.BreakerMinimumThroughput, 2, 10_000),
            BreakerSamplingDuration = s.GetDuration("breakerSamplingDuration", d.BreakerSamplingDuration, ResilienceSettings.MinBreakerDuration),
            BreakerBreakDuration = s.GetDuration("breakerBreakDuration", d.BreakerBreakDuration, ResilienceSettings.MinBreakerDuration),
        };
        if (r.EffectiveTotalTimeout > ConfigSection.MaxDuration)
            s.Error(r.TotalTimeout is null ? "timeout" : "totalTimeout",
                $"a call with its retries may take {ConfigSection.FormatDuration(r.EffectiveTotalTimeout)}, more than the " +
                $"{ConfigSection.FormatDuration(ConfigSection.MaxDuration)} allowed; lower timeout or retries, or set totalTimeout");
        s.ReportUnknownKeys();
        return r;
    }

    private static CacheSettings ParseCache(ConfigSection? s)
    {
        var d = new CacheSettings();
        if (s is null) return d;
        var c = new CacheSettings { Enabled = s.GetBool("enabled", d.Enabled), Ttl = s.GetDuration("ttl", d.Ttl, TimeSpan.FromSeconds(1), CacheSettings.MaxTtl) };
        s.ReportUnknownKeys();
        return c;
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
