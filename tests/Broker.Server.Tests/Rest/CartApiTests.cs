using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Broker.Server.Tests.Sessions;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.Rest;

/// <summary>/api/v1/carts on the in-memory store: short ids, replace, validation naming the field, expiry.</summary>
public class CartApiTests
{
    private static readonly object[] TwoFiles =
    [
        new { provider = "soar", fileId = "solo_L1_eui-fsi174-image_20220321T000045", instrument = "EUI", start = "2022-03-21T00:00:45Z", sizeKb = 2617.5 },
        new { provider = "sdo", fileId = "aia.lev1.171A_2022-03-21T00:00:09Z" },
    ];

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = body is string text ? new StringContent(text, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        using var response = await http.SendAsync(request);
        var json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, json.Length == 0 ? default : JsonDocument.Parse(json).RootElement.Clone());
    }

    [Fact]
    public async Task Post_SavesTheItemsUnderAShortId_GetReadsThem_PutReplacesThem()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var (created, cart) = await SendAsync(broker.Http, HttpMethod.Post, "/api/v1/carts", new { items = TwoFiles });
        var id = cart.GetProperty("id").GetString()!;
        var (read, again) = await SendAsync(broker.Http, HttpMethod.Get, $"/api/v1/carts/{id}");
        var (replaced, after) = await SendAsync(broker.Http, HttpMethod.Put, $"/api/v1/carts/{id}", new { items = new[] { TwoFiles[1] } });
        var (reread, last) = await SendAsync(broker.Http, HttpMethod.Get, $"/api/v1/carts/{id}");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Matches("^[0-9a-hjkmnp-tv-z]{10}$", id);
        Assert.EndsWith("Z", cart.GetProperty("expiresAt").GetString());
        Assert.Equal(HttpStatusCode.OK, read);
        var first = again.GetProperty("items")[0];
        Assert.Equal(("soar", "EUI", "2022-03-21T00:00:45Z", 2617.5),
            (first.GetProperty("provider").GetString(), first.GetProperty("instrument").GetString(), first.GetProperty("start").GetString(), first.GetProperty("sizeKb").GetDouble()));
        Assert.False(again.GetProperty("items")[1].TryGetProperty("instrument", out _)); // nothing invented, no nulls
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal(1, after.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.OK, reread);
        Assert.Equal("sdo", Assert.Single(last.GetProperty("items").EnumerateArray()).GetProperty("provider").GetString());
    }

    [Fact]
    public async Task Post_TheSameFileTwice_KeepsItOnce()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var (_, cart) = await SendAsync(broker.Http, HttpMethod.Post, "/api/v1/carts", new { items = new[] { TwoFiles[1], TwoFiles[1], TwoFiles[0] } });

        Assert.Equal(2, cart.GetProperty("count").GetInt32());
    }

    [Theory]
    [InlineData("{\"items\":[{\"fileId\":\"a\"}]}", "items[0].provider")]
    [InlineData("{\"items\":[{\"provider\":\"soar\",\"fileId\":\"a\"},{\"provider\":\"soar\"}]}", "items[1].fileId")]
    [InlineData("{\"items\":[null]}", "items[0]")]
    [InlineData("{}", "items")]
    [InlineData("{\"items\":[{\"provider\":", "body")]
    [InlineData("[1,2]", "body")]
    public async Task BadBodies_AreProblemsNamingTheField(string body, string field)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var (status, problem) = await SendAsync(broker.Http, HttpMethod.Post, "/api/v1/carts", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task TooManyItems_AreRefused()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), extraArgs: "--Carts:MaxItems=2");

        var (status, problem) = await SendAsync(broker.Http, HttpMethod.Post, "/api/v1/carts", new { items = new[] { TwoFiles[0], TwoFiles[1], new { provider = "x", fileId = "y" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 2 files", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("abcdefghjk")]      // well formed, never issued
    [InlineData("../../etc")]       // not an id at all
    [InlineData("ABCDEFGHIJKLMNOP")]
    public async Task UnknownOrMalformedIds_Are404Problems(string id)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var (read, problem) = await SendAsync(broker.Http, HttpMethod.Get, $"/api/v1/carts/{Uri.EscapeDataString(id)}");
        var (put, _) = await SendAsync(broker.Http, HttpMethod.Put, $"/api/v1/carts/{Uri.EscapeDataString(id)}", new { items = TwoFiles });

        Assert.Equal(HttpStatusCode.NotFound, read);
        Assert.Equal(HttpStatusCode.NotFound, put);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ACart_ExpiresAfterItsLifetime_AndAPutSlidesTheExpiry()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), b => b.Services.AddSingleton<TimeProvider>(time), "--Carts:Expiry=01:00:00");
        var (_, cart) = await SendAsync(broker.Http, HttpMethod.Post, "/api/v1/carts", new { items = TwoFiles });
        var id = cart.GetProperty("id").GetString()!;

        time.Advance(TimeSpan.FromMinutes(50));
        var (slid, put) = await SendAsync(broker.Http, HttpMethod.Put, $"/api/v1/carts/{id}", new { items = TwoFiles });
        time.Advance(TimeSpan.FromMinutes(50));
        var (stillThere, _) = await SendAsync(broker.Http, HttpMethod.Get, $"/api/v1/carts/{id}");
        time.Advance(TimeSpan.FromMinutes(11));
        var (gone, _) = await SendAsync(broker.Http, HttpMethod.Get, $"/api/v1/carts/{id}");

        Assert.Equal(HttpStatusCode.OK, slid);
        Assert.Equal("2026-01-01T01:50:00Z", put.GetProperty("expiresAt").GetString());
        Assert.Equal(HttpStatusCode.OK, stillThere);
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }
}

/// <summary>/api/v1/carts on Redis: a cart saved on one instance is read and replaced on another.</summary>
public sealed class RedisCartApiTests(SingleRedisFixture redis) : IClassFixture<SingleRedisFixture>
{
    [Fact]
    public async Task ACartSavedOnOneInstance_IsReadAndReplacedOnAnother_UnderAHashTaggedKeyWithTtl()
    {
        var args = new[] { $"--Redis:Configuration={redis.Server.Configuration}", "--Sessions:RedisTimeout=00:00:05", "--Carts:Expiry=02:00:00" };
        await using var a = TestBroker.Start(TestBroker.Yaml("eui"), extraArgs: args);
        await using var b = TestBroker.Start(TestBroker.Yaml("eui"), extraArgs: args);

        var (created, cart) = await CartApiTests.SendAsync(a.Http, HttpMethod.Post, "/api/v1/carts",
            new { items = new[] { new { provider = "soar", fileId = "f1" } } });
        var id = cart.GetProperty("id").GetString()!;
        var (read, onB) = await CartApiTests.SendAsync(b.Http, HttpMethod.Get, $"/api/v1/carts/{id}");
        var (replaced, _) = await CartApiTests.SendAsync(b.Http, HttpMethod.Put, $"/api/v1/carts/{id}",
            new { items = new[] { new { provider = "soar", fileId = "f1" }, new { provider = "sdo", fileId = "f2" } } });
        var (_, onA) = await CartApiTests.SendAsync(a.Http, HttpMethod.Get, $"/api/v1/carts/{id}");
        var ttl = await redis.Server.CommandAsync($"TTL broker:{{cart:{id}}}");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal("f1", onB.GetProperty("items")[0].GetProperty("fileId").GetString());
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal(2, onA.GetProperty("count").GetInt32());
        Assert.NotNull(ttl);
        var seconds = int.Parse(ttl!.TrimStart(':'), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 7200);
    }

    [Fact]
    public async Task RedisDown_IsA503Problem_NotA500()
    {
        await using var down = await Broker.Testing.RedisServer.StartAsync();
        var configuration = down.Configuration;
        await down.StopAsync();
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"), extraArgs: $"--Redis:Configuration={configuration}");

        var (status, problem) = await CartApiTests.SendAsync(broker.Http, HttpMethod.Post, "/api/v1/carts",
            new { items = new[] { new { provider = "soar", fileId = "f1" } } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Cart store unavailable", problem.GetProperty("title").GetString());
    }
}
