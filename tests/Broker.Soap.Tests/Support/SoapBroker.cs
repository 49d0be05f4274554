using Broker.Core.Configuration;
using Broker.Core.Providers;
using Broker.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Soap.Tests.Support;

/// <summary>
/// The whole broker as it runs (<see cref="BrokerApp.Build"/>: session middleware and SOAP session peek, rate limits,
/// error responses, GetData hand-out and URL verification) on 127.0.0.1 with a free port, over <see cref="FakeAdapter"/>s
/// registered in a providers.yaml. Their data host (<see cref="FakeAdapter.Url"/>) is a file server of the test on
/// loopback, so the URLs GetData hands out are on a registered host and answer the broker's checks and the clients' downloads.
/// </summary>
internal sealed class SoapBroker : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Loopback _files;
    private readonly string _dir;

    private SoapBroker(WebApplication app, Loopback files, string dir)
    {
        _app = app;
        _files = files;
        _dir = dir;
        BaseUri = new Uri(app.Urls.First() + "/");
        Client = NewClient();
    }

    public Uri BaseUri { get; }
    /// <summary>A client without cookies, as SOAP clients are: a session travels only as the caller sends it.</summary>
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    /// <summary>Base of the data host every fake provider is registered under; its files are at <c>files/{fileId}</c>.</summary>
    public Uri FilesUri => _files.BaseUri;

    /// <param name="settings">Configuration keys and values, e.g. <c>Broker:PublicBaseUrl</c>.</param>
    public static async Task<SoapBroker> StartAsync(IReadOnlyList<FakeAdapter> adapters, IReadOnlyDictionary<string, string>? settings = null)
    {
        var files = await Loopback.StartAsync(_ => { }, app => app.MapMethods("/files/{**path}", ["GET", "HEAD"], (string path) =>
            Results.Bytes("SIMPLE  =                    T"u8.ToArray(), "application/fits", Path.GetFileName(path) + ".fits")));
        foreach (var adapter in adapters) adapter.Url = files.BaseUri.ToString();
        var dir = Directory.CreateTempSubdirectory("broker-soap-test").FullName;
        var file = Path.Combine(dir, "providers.yaml");
        await File.WriteAllTextAsync(file, "providers:\n" + string.Concat(adapters.Select(a =>
            $"  {a.Id}:\n    type: fake\n    url: {a.Url}\n    resilience:\n      retries: 0\n      timeout: 5s\n")));
        string[] args = ["--providers", file, "--urls", "http://127.0.0.1:0", "--Sessions:RateLimitPerMinute", "0",
            .. (settings ?? new Dictionary<string, string>()).SelectMany(s => new[] { "--" + s.Key, s.Value })];
        var factory = new Factory(adapters.ToDictionary(a => a.Id));
        var app = BrokerApp.Build(args, b => b.Services.AddSingleton<IProviderFactory>(factory));
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await files.DisposeAsync();
            Directory.Delete(dir, recursive: true);
            throw;
        }
        return new SoapBroker(app, files, dir);
    }

    public HttpClient NewClient() => new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>A session issued by the broker's own session API (POST /api/v1/sessions).</summary>
    public async Task<string> NewSessionAsync()
    {
        using var response = await Client.PostAsync("api/v1/sessions", null);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("VSO-Session").Single();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _files.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private sealed class Factory(Dictionary<string, FakeAdapter> adapters) : IProviderFactory
    {
        public string Type => "fake";
        public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context) => adapters[config.Id];
    }
}
