using System.Net;
using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Broker.Server.Tests.Sessions;
using Broker.Server.UserCredentials;
using Broker.Sessions.Redis;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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
        string[] args = ["--Redis:Configuration", redis.Redis.Configuration, "--Sessions:RedisTimeout", SessionMiddlewareTests.FunctionalTimeout,
            "--Downloads:MaxConcurrentPerSession", "2"];
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

    [Fact]
    public async Task DownloadsOfOneSession_AreBoundedAcrossBothInstances()
    {
        var session = await Http.NewSessionAsync(_a.BaseUrl);
        using var onA = Http.Client(_a.BaseUrl, session);
        (await onA.PutCredentialsAsync("vault", new { username = "alice", password = RestrictedArchive.Users["alice"] })).EnsureSuccessStatusCode();
        var (_, ids) = await onA.SearchAsync();
        var fileId = ids.First(id => id.StartsWith("alice-restricted-", StringComparison.Ordinal));
        var linkOnA = (await onA.GetDataAsync([fileId]))[fileId];
        var linkOnB = linkOnA.Replace(_a.BaseUrl.ToString(), _b.BaseUrl.ToString(), StringComparison.Ordinal);
        using var download = Http.Client(_a.BaseUrl);
        _archive.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // One download held on each instance: the session's bound of 2 is reached, and a third is refused on either.
        var held = new[] { download.GetAsync(linkOnA, HttpCompletionOption.ResponseHeadersRead), download.GetAsync(linkOnB, HttpCompletionOption.ResponseHeadersRead) };
        await Wait.UntilAsync(() => Task.FromResult(_archive.Waiting == 2), TimeSpan.FromSeconds(30), "one download held upstream from each instance");
        using var thirdOnA = await download.GetAsync(linkOnA);
        using var thirdOnB = await download.GetAsync(linkOnB);
        _archive.Gate.SetResult();
        var done = await Task.WhenAll(held);
        foreach (var response in done) await response.Content.ReadAsByteArrayAsync();
        foreach (var response in done) response.Dispose();
        using var afterwards = await download.GetAsync(linkOnB);

        Assert.Equal((HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests), (thirdOnA.StatusCode, thirdOnB.StatusCode));
        Assert.All(done, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(RestrictedArchive.Content(fileId), await afterwards.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ADownloadSlot_IsKeptWhileItsInstanceRenewsIt_AndFreedWhenTheInstanceDiesAndItsLeaseRunsOut()
    {
        var start = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var options = new DownloadOptions { MaxConcurrentPerSession = 1, SlotLease = TimeSpan.FromMinutes(1) };
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Redis.Configuration);
        var source = new Multiplexer(connection);
        var session = Guid.NewGuid().ToString("N");
        var (liveClock, deadClock, otherClock) = (new FakeTimeProvider(start), new FakeTimeProvider(start), new FakeTimeProvider(start));
        var other = new DownloadSlots(options, otherClock, source);

        // A live instance renews its slot's lease every 20 s: a minute and more later the slot is still taken.
        var live = await new DownloadSlots(options, liveClock, source).TryEnterAsync(session, CancellationToken.None);
        Assert.NotNull(live);
        var db = connection.GetDatabase();
        for (var i = 1; i <= 4; i++)
        {
            liveClock.Advance(TimeSpan.FromSeconds(20));
            var renewedUntil = start + TimeSpan.FromSeconds(20 * i) + options.SlotLease;
            await Wait.UntilAsync(async () => (await db.SortedSetRangeByRankWithScoresAsync(DownloadSlots.Key(session))).Single().Score >= renewedUntil.ToUnixTimeMilliseconds(),
                Wait.DefaultTimeout, "the lease to be renewed");
        }
        otherClock.Advance(TimeSpan.FromSeconds(90));
        Assert.Null(await other.TryEnterAsync(session, CancellationToken.None));
        await live.DisposeAsync();
        var afterRelease = await other.TryEnterAsync(session, CancellationToken.None);
        Assert.NotNull(afterRelease);
        await afterRelease.DisposeAsync();

        // An instance that dies holding a slot (its clock stands still, it never renews nor releases): the slot is taken
        // until its lease runs out, then free again.
        var dead = await new DownloadSlots(options, deadClock, source).TryEnterAsync(session, CancellationToken.None);
        Assert.NotNull(dead);
        var otherNow = new FakeTimeProvider(start + TimeSpan.FromSeconds(59));
        Assert.Null(await new DownloadSlots(options, otherNow, source).TryEnterAsync(session, CancellationToken.None));
        otherNow.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(await new DownloadSlots(options, otherNow, source).TryEnterAsync(session, CancellationToken.None));
    }

    private sealed class Multiplexer(IConnectionMultiplexer connection) : IRedisMultiplexerSource
    {
        public Task<IConnectionMultiplexer?> GetMultiplexerAsync(CancellationToken cancellationToken) => Task.FromResult<IConnectionMultiplexer?>(connection);
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
