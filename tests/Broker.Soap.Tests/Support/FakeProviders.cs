using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.Server.Soap;
using Broker.Server.UserCredentials;
using Broker.Sessions;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Soap.Tests.Support;

/// <summary>An in-memory provider: answers from a fixed record list, resolves file ids to http://files.test URLs.</summary>
internal sealed class FakeAdapter(string id, IReadOnlyList<DataRecord> records, ProviderCapabilities? caps = null) : IProviderAdapter
{
    /// <summary>Base of the URLs handed out by GetData (tests that download point it at their own server).</summary>
    public string FileBase { get; set; } = "http://files.test/";
    public string Id => id;
    public ProviderCapabilities Capabilities { get; } = caps ?? new ProviderCapabilities();
    public Exception? Failure { get; set; }
    public QueryBlock? LastBlock { get; private set; }

    public Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        LastBlock = block;
        if (Failure is not null) throw Failure;
        return Task.FromResult(new ProviderAnswer(records.Take(maxRecords).ToList(), records.Count > maxRecords, records.Count));
    }

    public Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken)
    {
        IReadOnlyList<FileLocation> result = files.Select(f => records.Any(r => r.FileId == f.FileId)
            ? new FileLocation(f.FileId, FileStatus.Ok, FileBase + Id + "/" + f.FileId)
            : new FileLocation(f.FileId, FileStatus.NotFound, Detail: "no such file")).ToList();
        return Task.FromResult(result);
    }
}

/// <summary>Builds a real provider registry, search engine and file resolver over fake adapters.</summary>
internal static class FakeBroker
{
    public static DataRecord Record(string provider, string fileId, string instrument = "EIT", double? wave = 171, double? sizeKb = 2048) => new()
    {
        Provider = provider, FileId = fileId, Source = "SOHO", Instrument = instrument, Physobs = "intensity",
        Start = new DateTimeOffset(2010, 1, 1, 0, 10, 0, TimeSpan.Zero), End = new DateTimeOffset(2010, 1, 1, 0, 10, 12, TimeSpan.Zero),
        WaveMin = wave, WaveMax = wave, WaveType = "NARROW", Extent = new Extent(Width: "1024", Length: "1024", Type: "FULLDISK"),
        SizeKb = sizeKb, Info = "EIT level 0", DataType = "IMAGE",
    };

    public static ProviderCatalog Catalog(params FakeAdapter[] adapters)
    {
        var yaml = "providers:\n" + string.Concat(adapters.Select(a => $"  {a.Id}:\n    type: fake\n    url: http://{a.Id}.test/\n    resilience:\n      retries: 0\n      timeout: 5s\n"));
        var configs = ProvidersFile.Parse(yaml, "test.yaml");
        var factory = new Factory(adapters.ToDictionary(a => a.Id));
        var context = new ProviderFactoryContext(_ => new HttpClient(), TimeProvider.System, NullLoggerFactory.Instance);
        return new ProviderCatalog(ProviderRegistry.Build(configs, [factory], context));
    }

    /// <summary>Registers what the SOAP endpoint resolves from DI.</summary>
    public static void AddBroker(IServiceCollection services, ProviderCatalog catalog, SearchOptions? options = null)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IProviderCatalog>(catalog);
        services.AddSingleton<IAnswerCache>(NoAnswerCache.Instance);
        services.AddSingleton(options ?? new SearchOptions());
        services.AddSingleton(new QueryNormalizer(new QueryLimits()));
        services.AddSingleton<IRecordLookup>(NoRecordLookup.Instance);
        services.AddSingleton<Broker.Core.Telemetry.BrokerMetrics>();
        services.AddSingleton<SearchEngine>();
        services.AddSingleton<FileResolver>();
        services.AddLogging();
        // GetData hands restricted files out through the user-credential layer; these sessions hold no credentials.
        services.AddBrokerUserCredentials(new ConfigurationBuilder().Build());
        services.AddSingleton<ISessionCredentialStore>(NoSessionCredentials.Instance);
    }

    private sealed class NoSessionCredentials : ISessionCredentialStore
    {
        public static readonly NoSessionCredentials Instance = new();
        public Task<bool> SetCredentialAsync(string sessionId, string providerId, string protectedValue, CancellationToken cancellationToken) => Task.FromResult(false);
        public Task<bool> RemoveCredentialAsync(string sessionId, string providerId, CancellationToken cancellationToken) => Task.FromResult(false);
        public Task<IReadOnlyDictionary<string, string>> GetCredentialsAsync(string sessionId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
    }

    public static Task<Loopback> StartSoapServerAsync(ProviderCatalog catalog, Dictionary<string, string?>? settings = null,
        Action<WebApplication>? before = null) =>
        Loopback.StartAsync(s => AddBroker(s, catalog), app =>
        {
            before?.Invoke(app);
            app.MapVsoSoap();
        }, settings);

    private sealed class Factory(Dictionary<string, FakeAdapter> adapters) : IProviderFactory
    {
        public string Type => "fake";
        public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context) => adapters[config.Id];
    }
}
