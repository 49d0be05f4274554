using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Sessions.Redis;
using Broker.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Broker.Sessions.Tests.Redis;

/// <summary>The Redis store, cache and limiter as registered by AddBrokerSessions, on one Redis, a Redis Cluster and behind Sentinels.</summary>
public abstract class RedisSessionStoreTests(RedisTopologyFixture redis) : RedisStoreTestBase(redis, FunctionalTimeout)
{
    public sealed class OnSingleRedis(SingleRedisFixture redis) : RedisSessionStoreTests(redis), IClassFixture<SingleRedisFixture>;

    [Collection(RedisClusterCollection.Name)]
    public sealed class OnRedisCluster(RedisClusterFixture redis) : RedisSessionStoreTests(redis);

    [Collection(RedisSentinelCollection.Name)]
    public sealed class OnRedisSentinel(RedisSentinelFixture redis) : RedisSessionStoreTests(redis);

    [Fact]
    public async Task IssuedSession_LivesFirstUseExpiry_UntilItsSecondUseSlidesItToExpiry()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var issuedTtl = await Inspector.GetDatabase().KeyTimeToLiveAsync(RedisKeys.Session(session.Id));
        await Store.TouchAsync(session.Id, CancellationToken.None);
        var usedTtl = await Inspector.GetDatabase().KeyTimeToLiveAsync(RedisKeys.Session(session.Id));

        var options = new BrokerSessionOptions();
        Assert.InRange(issuedTtl!.Value, TimeSpan.FromMinutes(9), options.FirstUseExpiry);
        Assert.InRange(usedTtl!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1)); // Sessions:Expiry of these tests
    }

    [Fact]
    public async Task AddQuery_BeyondMaxStoredQueries_DropsTheOldestWithItsRecords()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var results = new[] { TestResults.Of(3, "A"), TestResults.Of(3, "B"), TestResults.Of(3, "C") };
        foreach (var r in results) await Store.AddQueryAsync(session.Id, r, CancellationToken.None);

        var history = await Store.GetHistoryAsync(session.Id, CancellationToken.None);

        Assert.Equal([results[2].QueryId, results[1].QueryId], history.Select(q => q.QueryId));
        Assert.Null(await Store.GetRecordsAsync(session.Id, results[0].QueryId, 0, 10, CancellationToken.None));
        var references = await Inspector.GetDatabase().HashKeysAsync(RedisKeys.Results(session.Id));
        Assert.Equal(new[] { results[1].QueryId, results[2].QueryId }.Order(), references.Select(k => (string)k!).Order());
        Assert.NotNull(await Store.GetRecordsAsync(session.Id, results[2].QueryId, 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task AddQuery_WrittenAgain_AsARetryAfterALostReplyIs_ListsTheQueryOnce()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(3, "A");

        await Store.AddQueryAsync(session.Id, result, CancellationToken.None);
        await Store.AddQueryAsync(session.Id, result, CancellationToken.None);

        var history = await Store.GetHistoryAsync(session.Id, CancellationToken.None);
        Assert.Equal([result.QueryId], history.Select(q => q.QueryId));
        Assert.Equal(1, await Inspector.GetDatabase().ListLengthAsync(RedisKeys.History(session.Id)));
    }

    [Fact]
    public async Task AddQuery_LargeResult_StoresAtMostMaxStoredRecords_InOrder()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(1500);
        await Store.AddQueryAsync(session.Id, result, CancellationToken.None);

        var summary = await Store.GetQueryAsync(session.Id, result.QueryId, CancellationToken.None);
        var last = await Store.GetRecordsAsync(session.Id, result.QueryId, 1190, 100, CancellationToken.None);
        var beyond = await Store.GetRecordsAsync(session.Id, result.QueryId, 1200, 100, CancellationToken.None);

        Assert.Equal((1500, 1200), (summary!.RecordCount, summary.StoredRecords));
        Assert.Equal(result.Records.Skip(1190).Take(10).Select(r => r.FileId), last!.Records.Select(r => r.FileId));
        Assert.Empty(beyond!.Records);
    }

    [Fact]
    public async Task FindRecords_ReturnsStoredRecordsWithTheirProvider_AndNothingForOtherSessions()
    {
        var mine = await Store.CreateAsync(CancellationToken.None);
        var other = await Store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(10);
        await Store.AddQueryAsync(mine.Id, result, CancellationToken.None);
        var lookup = Services.GetRequiredService<IRecordLookup>();

        var found = await lookup.FindAsync(mine.Id, ["AIA-00001", "AIA-00002", "missing"], CancellationToken.None);
        var foreign = await lookup.FindAsync(other.Id, ["AIA-00001"], CancellationToken.None);

        Assert.Equal(["AIA-00001", "AIA-00002"], found.Keys.Order());
        Assert.Equal(("soar", "sdac"), (found["AIA-00001"].Provider, found["AIA-00002"].Provider));
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task EveryKeyWritten_HasTheBrokerPrefixAndATtl()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        await Store.AddQueryAsync(session.Id, TestResults.Of(5), CancellationToken.None);
        await Store.TouchAsync(session.Id, CancellationToken.None);
        var cache = Services.GetRequiredService<IAnswerCache>();
        Assert.Null(await cache.GetAsync("sdac", "block", CancellationToken.None)); // takes the coalescing lock
        await cache.SetAsync("sdac", "block", new ProviderAnswer([]), TimeSpan.FromMinutes(5), CancellationToken.None);
        await Services.GetRequiredService<IRateLimiter>().AcquireAsync("s:" + session.Id, CancellationToken.None);

        var keys = await KeysAsync("*");
        var db = Inspector.GetDatabase();

        Assert.Contains(keys, k => k.StartsWith("broker:cache:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("broker:rate:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("broker:result:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("broker:resultfiles:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.EndsWith(":results", StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.StartsWith("broker:cache-lock:", StringComparison.Ordinal)); // released by Set
        foreach (var key in keys)
        {
            Assert.StartsWith("broker:", key);
            Assert.True(await db.KeyTimeToLiveAsync(key) is { } ttl && ttl > TimeSpan.Zero, $"{key} has no TTL");
        }
    }

    [Fact]
    public async Task Delete_RemovesTheSessionAndEveryKeyOfIt()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        await Store.AddQueryAsync(session.Id, TestResults.Of(5), CancellationToken.None);

        Assert.True(await Store.DeleteAsync(session.Id, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(session.Id, CancellationToken.None));
        Assert.Null(await Store.TouchAsync(session.Id, CancellationToken.None));
        Assert.Empty(await KeysAsync($"broker:session:{{{session.Id}}}*"));
    }
}

/// <summary>The stores with their one Redis killed (a topology of its own, since the test stops it).</summary>
public sealed class RedisStoreOutageTests(SingleRedisFixture redis) : RedisStoreTestBase(redis, TimeSpan.FromSeconds(2)), IClassFixture<SingleRedisFixture>
{
    private readonly RedisServer _server = ((SingleRedis)redis.Redis).Server;

    [Fact]
    public async Task Store_WithRedisStopped_FailsAsUnavailable_AndReadinessIsDegraded()
    {
        await _server.StopAsync();

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => Store.CreateAsync(CancellationToken.None));
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(() => Store.TouchAsync(SessionId.New(), CancellationToken.None));
        var cached = await Services.GetRequiredService<IAnswerCache>().GetAsync("sdac", "block", CancellationToken.None);
        var readiness = await Services.GetRequiredService<IReadinessCheck>().CheckAsync(CancellationToken.None);

        Assert.Null(cached);
        Assert.Equal(ReadinessStatus.Degraded, readiness.Status);
    }
}
