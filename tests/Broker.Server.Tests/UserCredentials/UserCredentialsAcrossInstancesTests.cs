using System.Net;
using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Broker.Server.Tests.Sessions;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>
/// Two broker instances behind one Redis: credentials stored through one are used by the other (the Data Protection key
/// ring is shared in Redis), Redis never holds them in clear, and they go with the session.
/// </summary>
public sealed class UserCredentialsAcrossInstancesTests(SingleRedisFixture redis) : IClassFixture<SingleRedisFixture>, IAsyncLifetime
{
    private RestrictedArchive _archive = null!;
    private TestBroker _a = null!, _b = null!;

    public async Task InitializeAsync()
    {
        await redis.Redis.FlushAsync();
        _archive = await RestrictedArchive.StartAsync();
        string[] args = ["--Redis:Configuration", redis.Redis.Configuration, "--Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout];
        _a = TestBroker.Start(RestrictedFactory.Yaml(_archive), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>(), args);
        _b = TestBroker.Start(RestrictedFactory.Yaml(_archive), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>(), args);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _archive.DisposeAsync();
    }

    [Fact]
    public async Task CredentialsPutThroughOneInstance_AreUsedByTheOther_NeverStoredInClear_AndEndWithTheSession()
    {
        var session = await Http.NewSessionAsync(_a.BaseUrl);
        using var onA = Http.Client(_a.BaseUrl, session);
        using var onB = Http.Client(_b.BaseUrl, session);
        var password = RestrictedArchive.Users["alice"];

        (await onA.PutCredentialsAsync("vault", new { username = "alice", password })).EnsureSuccessStatusCode();
        var listedOnB = await (await onB.GetAsync("/api/v1/sessions/current/credentials")).JsonAsync();
        var (_, idsOnB) = await onB.SearchAsync();
        var fileId = idsOnB.First(id => id.StartsWith("alice-restricted-", StringComparison.Ordinal));
        var linkFromA = (await onA.GetDataAsync([fileId]))[fileId];
        using var downloadOnB = await Http.Client(_b.BaseUrl).GetAsync(linkFromA.Replace(_a.BaseUrl.ToString(), _b.BaseUrl.ToString()));

        Assert.Equal("vault", Assert.Single(listedOnB.GetProperty("credentials").EnumerateArray()).GetProperty("provider").GetString());
        Assert.Equal(HttpStatusCode.OK, downloadOnB.StatusCode);
        Assert.Equal(RestrictedArchive.Content(fileId), await downloadOnB.Content.ReadAsByteArrayAsync());

        // Everything Redis holds, read back: the password appears nowhere, the username not in the stored credential; the key ring is there.
        var db = (await redis.Redis.InspectorAsync()).GetDatabase();
        var keys = await redis.Redis.KeysAsync("*");
        Assert.Contains("broker:{dataprotection}:keys", keys);
        var credentialKey = Assert.Single(keys, k => k.EndsWith(":credentials", StringComparison.Ordinal));
        Assert.Contains(session, credentialKey);
        foreach (var key in keys) Assert.DoesNotContain(password, await Dump(db, key));
        Assert.DoesNotContain("alice", await Dump(db, credentialKey));
        var ttl = await db.KeyTimeToLiveAsync(credentialKey);
        Assert.True(ttl is { } t && t > TimeSpan.Zero, "the credentials expire with the session");

        (await onB.DeleteAsync("/api/v1/sessions/current")).EnsureSuccessStatusCode();
        Assert.False(await db.KeyExistsAsync(credentialKey));
    }

    private static async Task<string> Dump(IDatabase db, string key) => (await db.KeyTypeAsync(key)) switch
    {
        RedisType.String => (string?)await db.StringGetAsync(key) ?? "",
        RedisType.Hash => string.Join("\n", (await db.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}")),
        RedisType.List => string.Join("\n", (await db.ListRangeAsync(key)).Select(v => (string?)v)),
        RedisType.Set => string.Join("\n", (await db.SetMembersAsync(key)).Select(v => (string?)v)),
        _ => "",
    };
}
