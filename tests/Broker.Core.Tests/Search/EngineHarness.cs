using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Core.Tests.Search;

/// <summary>Builds a real engine from providers.yaml text over fake adapters.</summary>
internal sealed class EngineHarness
{
    public Dictionary<string, FakeAdapter> Adapters { get; } = new();
    public SearchEngine Engine { get; }
    public ProviderCatalog Catalog { get; }
    public BrokerMetrics Metrics { get; } = new();

    /// <summary>The engine's, the pipelines' and the deadline's clock: it moves only when a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public EngineHarness(string providersYaml, SearchOptions? options = null, IAnswerCache? cache = null, params ISearchListener[] listeners)
    {
        var configs = ProvidersFile.Parse(providersYaml, "test.yaml");
        var context = new ProviderFactoryContext(_ => new HttpClient(), Time, NullLoggerFactory.Instance);
        Catalog = new ProviderCatalog(ProviderRegistry.Build(configs, [new FakeFactory(Adapters)], context));
        Engine = new SearchEngine(Catalog, cache ?? NoAnswerCache.Instance, listeners, options ?? new SearchOptions(),
            Time, Metrics, NullLogger<SearchEngine>.Instance);
    }

    public FakeAdapter this[string id] => Adapters[id];

    public static string Yaml(params string[] entries) => "providers:\n" + string.Concat(entries);

    public static string Entry(string id, string extra = "", string resilience = "      timeout: 2s\n      retries: 0\n") =>
        $"  {id}:\n    type: fake\n    url: http://127.0.0.1:9/{id}\n{extra}    resilience:\n{resilience}";

    public static readonly DateTimeOffset T0 = new(2022, 3, 21, 0, 0, 0, TimeSpan.Zero);

    public static SearchRequest Request(string? instrument = null, int? limit = null) => new()
    {
        Query = NormalizedQuery.Single(new QueryBlock { Time = new TimeRange(T0, T0.AddDays(1)), Instrument = instrument }),
        Limit = limit,
    };
}
