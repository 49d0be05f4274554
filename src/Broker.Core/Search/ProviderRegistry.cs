using System.Collections.Frozen;
using Broker.Core.Configuration;

namespace Broker.Core.Search;

/// <summary>An immutable snapshot of the configured providers, built from providers.yaml by the registered factories.</summary>
public sealed class ProviderRegistry
{
    private readonly FrozenDictionary<string, ProviderRuntime> _byId;

    private ProviderRegistry(IReadOnlyList<ProviderRuntime> all, IReadOnlyList<ProviderConfig> disabled)
    {
        All = all;
        Disabled = disabled;
        _byId = all.ToFrozenDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Enabled providers, in file order.</summary>
    public IReadOnlyList<ProviderRuntime> All { get; }
    /// <summary>Providers present in the file but disabled.</summary>
    public IReadOnlyList<ProviderConfig> Disabled { get; }

    public ProviderRuntime? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// Creates every enabled provider with the factory of its type, or keeps the running one from
    /// <paramref name="reuse"/> when its settings are unchanged. All problems (unknown type, bad or unknown options
    /// keys, values the pipeline refuses) are collected and thrown together as one <see cref="ConfigException"/>.
    /// </summary>
    public static ProviderRegistry Build(
        IReadOnlyList<ProviderConfig> configs, IEnumerable<IProviderFactory> factories, ProviderFactoryContext context,
        IReadOnlyDictionary<string, ProviderRuntime>? reuse = null)
    {
        var byType = factories.ToFrozenDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);
        var errors = configs.Count > 0 ? configs[0].Options.Errors : new ConfigErrors();
        var runtimes = new List<ProviderRuntime>();
        var disabled = new List<ProviderConfig>();
        foreach (var config in configs)
        {
            if (!byType.TryGetValue(config.Type, out var factory))
            {
                errors.Add(new ConfigError(config.Options.File, config.Line, $"providers.{config.Id}.type",
                    $"unknown provider type '{config.Type}'; known types: {string.Join(", ", byType.Keys.Order())}"));
                continue;
            }
            // A reload keeps the live state (circuit, counters, health verdict, in-flight limit) of every provider whose
            // settings did not change, and builds no adapter for it: the running one already passed these checks.
            if (config.Enabled && reuse?.GetValueOrDefault(config.Id) is { } old && SameSettings(old.Config, config))
            {
                runtimes.Add(old);
                continue;
            }
            try
            {
                var adapter = factory.Create(config, context);
                config.Options.ReportUnknownKeys();
                if (config.Enabled) runtimes.Add(new ProviderRuntime(config, adapter, context.Time));
                else disabled.Add(config);
            }
            catch (Exception ex) when (ex is not ConfigException)
            {
                // A value the checks above let through but a factory or the resilience pipeline refuses is still an
                // error at its entry, never an exception that stops the host.
                errors.Add(new ConfigError(config.Options.File, config.Line, $"providers.{config.Id}", ex.Message));
            }
        }
        errors.ThrowIfAny();
        return new ProviderRegistry(runtimes, disabled);
    }

    /// <summary>Settings compared by content (a reload parses new objects for unchanged entries).</summary>
    private static bool SameSettings(ProviderConfig a, ProviderConfig b) =>
        a.Type == b.Type && a.Url.AbsoluteUri == b.Url.AbsoluteUri && a.Title == b.Title && a.Identity == b.Identity && a.Resilience == b.Resilience &&
        a.Cache == b.Cache && a.Capabilities.Equals(b.Capabilities) &&
        System.Text.Json.JsonSerializer.Serialize(a.Options.ToPlainData()) == System.Text.Json.JsonSerializer.Serialize(b.Options.ToPlainData());
}

/// <summary>The current provider registry; a reload swaps the whole snapshot, a failed reload keeps the old one.</summary>
public interface IProviderCatalog
{
    ProviderRegistry Current { get; }
}

/// <summary>A catalog whose snapshot can be replaced (on reload of providers.yaml or the registry database).</summary>
public sealed class ProviderCatalog(ProviderRegistry initial) : IProviderCatalog
{
    private ProviderRegistry _current = initial;

    public ProviderRegistry Current => Volatile.Read(ref _current);

    /// <summary>Replaces the snapshot; the old one stays in use by searches already running.</summary>
    public void Replace(ProviderRegistry next) => Volatile.Write(ref _current, next);
}
