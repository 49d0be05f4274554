using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.Rest;

/// <summary>A real broker on 127.0.0.1 (random port) over scripted in-process providers of type "scripted".</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    public ScriptedFactory Providers { get; } = new();
    public HttpClient Http { get; }
    public Uri BaseUrl { get; }

    private TestBroker(string providersYaml, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        _dir = Directory.CreateTempSubdirectory("broker-test").FullName;
        var file = Path.Combine(_dir, "providers.yaml");
        File.WriteAllText(file, providersYaml);
        _app = BrokerApp.Build(["--providers", file, "--urls", "http://127.0.0.1:0", .. extraArgs], b =>
        {
            b.Services.AddSingleton<IProviderFactory>(Providers);
            configure?.Invoke(b);
        });
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = new Uri(_app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseUrl };
    }

    public static TestBroker Start(string providersYaml, Action<WebApplicationBuilder>? configure = null, params string[] extraArgs) =>
        new(providersYaml, configure, extraArgs);

    public IServiceProvider Services => _app.Services;
    public string ProvidersFile => Path.Combine(_dir, "providers.yaml");

    public static string Yaml(params string[] ids) =>
        "providers:\n" + string.Concat(ids.Select(id =>
            $"  {id}:\n    type: scripted\n    url: http://127.0.0.1:9/{id}\n    capabilities:\n      instruments: [{id.ToUpperInvariant()}, SHARED]\n    resilience:\n      timeout: 1s\n      retries: 0\n"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

internal sealed class ScriptedFactory : IProviderFactory
{
    public string Type => "scripted";
    public Dictionary<string, ScriptedAdapter> Adapters { get; } = new();
    /// <summary>Adapters built, by provider id (a reload of unchanged settings builds none).</summary>
    public Dictionary<string, int> Created { get; } = new();

    public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context)
    {
        Created[config.Id] = Created.GetValueOrDefault(config.Id) + 1;
        if (!Adapters.TryGetValue(config.Id, out var a)) Adapters[config.Id] = a = new ScriptedAdapter(config.Id);
        a.Capabilities = config.Capabilities;
        return a;
    }

    public ScriptedAdapter this[string id] => Adapters[id];
}

internal sealed class ScriptedAdapter(string id) : IProviderAdapter
{
    public string Id => id;
    public ProviderCapabilities Capabilities { get; set; } = new();
    public int Calls;
    public int Cancelled;
    /// <summary>GetData calls (file resolutions) made of this provider.</summary>
    public int Resolves;
    public QueryBlock? LastBlock;
    public Func<CancellationToken, Task<ProviderAnswer>> Behaviour { get; set; } = _ => Task.FromResult(ProviderAnswer.Empty);

    public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        LastBlock = block;
        try { return await Behaviour(cancellationToken); }
        catch (OperationCanceledException) { Interlocked.Increment(ref Cancelled); throw; }
    }

    public Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Resolves);
        return Task.FromResult<IReadOnlyList<FileLocation>>(files.Select(f =>
            f.FileId.StartsWith("missing", StringComparison.Ordinal)
                ? new FileLocation(f.FileId, FileStatus.NotFound, Detail: "no such file")
                : f.FileId.StartsWith("built", StringComparison.Ordinal)
                ? new FileLocation(f.FileId, FileStatus.Unverified, $"http://127.0.0.1:9/{id}/data/{f.FileId}", Detail: "built from the id")
                : new FileLocation(f.FileId, FileStatus.Ok, $"http://127.0.0.1:9/{id}/data/{f.FileId}", 2048, "application/fits")).ToList());
    }

    public static readonly DateTimeOffset T0 = new(2022, 3, 21, 0, 0, 0, TimeSpan.Zero);

    public static ProviderAnswer Records(string provider, int count, string instrument = "X") =>
        new(Enumerable.Range(0, count).Select(i => new DataRecord
        {
            Provider = provider, FileId = $"{provider}-{i:D4}", Instrument = instrument, Source = "SOLO",
            Start = T0.AddMinutes(i), End = T0.AddMinutes(i + 1), WaveMin = 171, WaveMax = 185, SizeKb = 2.5,
        }).ToList());
}
