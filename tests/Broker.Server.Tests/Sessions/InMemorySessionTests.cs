using System.Net;

namespace Broker.Server.Tests.Sessions;

/// <summary>Without Redis configured the broker keeps sessions, history and the cache in memory (the demo default).</summary>
public sealed class InMemorySessionTests : IAsyncLifetime
{
    private readonly CountingAdapter _adapter = new();
    private SessionTestHost _host = null!;

    public async Task InitializeAsync() => _host = await SessionTestHost.StartAsync(_adapter, new Dictionary<string, string?> { ["Redis:Configuration"] = "" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sessions_WithoutRedis_KeepHistoryPagesAndCache()
    {
        var a = (await _host.Client().GetAsync("/api/v1/queries")).Session()!;
        var b = (await _host.Client().GetAsync("/api/v1/queries")).Session()!;
        var (first, response) = await _host.Client(a).SearchAsync("AIA");
        var (second, _) = await _host.Client(b).SearchAsync("AIA");

        using var page = await _host.Client(a).GetAsync($"/api/v1/queries/{first.QueryId}/records?offset=5&limit=5");
        using var foreign = await _host.Client(b).GetAsync($"/api/v1/queries/{first.QueryId}");
        var checks = await (await _host.Client().GetAsync("/health/ready")).JsonAsync();

        Assert.Null(response.Warning());
        Assert.Equal(a, response.Session());
        Assert.True(second.FromCache);
        Assert.Equal(1, _adapter.Searches);
        Assert.Equal(first.Records.Skip(5).Take(5).Select(r => r.FileId),
            (await page.JsonAsync()).GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("Healthy", Assert.Single(checks.EnumerateArray()).GetProperty("status").GetString());
    }
}
