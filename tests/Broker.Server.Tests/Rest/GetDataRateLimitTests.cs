using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Server.Tests.Rest;

/// <summary>GetData counts against the caller's rate limit like a search: one caller cannot make the broker HEAD without end.</summary>
public sealed class GetDataRateLimitTests
{
    [Fact]
    public async Task GetData_PastTheCallersLimit_Is429_AndAsksNoProvider()
    {
        // A frozen clock: the one-minute window cannot roll over while the test runs, however slow the machine.
        var time = new FakeTimeProvider(ScriptedAdapter.T0);
        await using var broker = TestBroker.Start(TestBroker.Yaml("soar"), b => b.Services.AddSingleton<TimeProvider>(time),
            "--Sessions:RateLimitPerMinute", "3");
        using var created = await broker.Http.PostAsync("/api/v1/sessions", null);
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = broker.BaseUrl };
        client.DefaultRequestHeaders.Add("VSO-Session", created.Headers.GetValues("VSO-Session").Single());
        var body = new { files = new[] { new { provider = "soar", fileIds = new[] { "soar-0001" } } } };

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/v1/getdata", body);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var resolvesBefore = broker.Providers["soar"].Resolves;
        using var refused = await client.PostAsJsonAsync("/api/v1/getdata", body);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("\"session\";q=3;w=60", Assert.Single(refused.Headers.GetValues("RateLimit-Policy")));
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(resolvesBefore, broker.Providers["soar"].Resolves);
        Assert.Equal(3, resolvesBefore);
    }
}
