using Broker.Server;
using Microsoft.AspNetCore.Builder;

namespace Broker.Bench;

/// <summary>A real broker (the production composition root) on a free 127.0.0.1 port, for benchmarks.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private BenchHost(WebApplication app, string dir)
    {
        _app = app;
        _dir = dir;
        BaseUrl = new Uri(app.Urls.First());
    }

    public Uri BaseUrl { get; }

    public static async Task<BenchHost> StartAsync(string providersYaml, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dir = Directory.CreateTempSubdirectory("broker-bench").FullName;
        var file = Path.Combine(dir, "providers.yaml");
        await File.WriteAllTextAsync(file, providersYaml);
        var args = new List<string> { "--providers", file, "--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) args.Add($"--{key}={value}");
        var app = BrokerApp.Build([.. args]);
        await app.StartAsync();
        return new BenchHost(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
