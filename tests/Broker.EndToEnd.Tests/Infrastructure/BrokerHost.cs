using Broker.Server;
using Microsoft.AspNetCore.Builder;

namespace Broker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real broker (the production composition root, <see cref="BrokerApp"/>) listening on a free 127.0.0.1 port,
/// with its providers file and settings given as the command line would.
/// </summary>
public sealed class BrokerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dir;

    private BrokerHost(WebApplication app, string dir)
    {
        _app = app;
        _dir = dir;
        BaseUrl = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(120) };
    }

    public Uri BaseUrl { get; }

    /// <summary>Every address the broker listens on (one per <c>urls</c> entry: http and https when both are configured).</summary>
    public IReadOnlyList<Uri> Urls => _app.Urls.Select(u => new Uri(u)).ToList();
    public HttpClient Http { get; }
    public IServiceProvider Services => _app.Services;
    public string ProvidersFile => Path.Combine(_dir, "providers.yaml");

    /// <summary>Starts a broker; <paramref name="settings"/> are configuration keys (Search:Deadline, Redis:Configuration ...).</summary>
    public static async Task<BrokerHost> StartAsync(string providersYaml, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dir = Directory.CreateTempSubdirectory("broker-e2e").FullName;
        var file = Path.Combine(dir, "providers.yaml");
        await File.WriteAllTextAsync(file, providersYaml);
        var args = new List<string> { "--providers", file, "--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) args.Add($"--{key}={value}");
        var app = BrokerApp.Build([.. args]);
        await app.StartAsync();
        return new BrokerHost(app, dir);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
