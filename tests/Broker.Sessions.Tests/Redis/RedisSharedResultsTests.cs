using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Sessions.Redis;
using Broker.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Broker.Sessions.Tests.Redis;

/// <summary>Content-addressed stored results: one shared copy per distinct records, reached only through a session's own queries.</summary>
public abstract class RedisSharedResultsTests(RedisTopologyFixture redis) : RedisStoreTestBase(redis, FunctionalTimeout)
{
    public sealed class OnSingleRedis(SingleRedisFixture redis) : RedisSharedResultsTests(redis), IClassFixture<SingleRedisFixture>;

    [Collection(RedisClusterCollection.Name)]
    public sealed class OnRedisCluster(RedisClusterFixture redis) : RedisSharedResultsTests(redis);

    [Collection(RedisSentinelCollection.Name)]
    public sealed class OnRedisSentinel(RedisSentinelFixture redis) : RedisSharedResultsTests(redis);

    private static readonly TimeSpan Expiry = TimeSpan.FromHours(1);

    [Fact]
    public async Task AddQuery_SameRecordsInManySessions_StoresThemOnce_AndEachSessionPagesThem()
    {
        var first = TestResults.Of(1100);
        var sessions = new List<SessionInfo>();
        var queries = new List<SearchResult>();
        for (var i = 0; i < 4; i++)
        {
            var session = await Store.CreateAsync(CancellationToken.None);
            // Equal records in new objects, as a search that asked the provider again would build them.
            var again = i == 0 ? first : first with { QueryId = Guid.CreateVersion7().ToString("N"), Records = first.Records.Select(r => r with { }).ToList() };
            await Store.AddQueryAsync(session.Id, again, CancellationToken.None);
            sessions.Add(session);
            queries.Add(again);
        }

        var stored = await KeysAsync("broker:result:*");
        Assert.Single(stored);
        Assert.Single(await KeysAsync("broker:resultfiles:*"));
        Assert.Empty(await KeysAsync("broker:result-new:*"));
        Assert.Equal(1100, await Db.ListLengthAsync(stored[0]));
        for (var i = 0; i < 4; i++)
        {
            var page = await Store.GetRecordsAsync(sessions[i].Id, queries[i].QueryId, 1050, 100, CancellationToken.None);
            Assert.Equal(first.Records.Skip(1050).Select(r => r.FileId), page!.Records.Select(r => r.FileId));
            Assert.Equal(1100, page.Total);
        }
    }

    [Fact]
    public async Task AddQuery_RecordsThatDifferInAnyField_AreStoredApart()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var original = TestResults.Of(5);
        var changed = original with
        {
            QueryId = Guid.CreateVersion7().ToString("N"),
            Records = original.Records.Select((r, i) => i == 3 ? r with { DownloadUrl = "http://127.0.0.1/new" } : r).ToList(),
        };
        await Store.AddQueryAsync(session.Id, original, CancellationToken.None);
        await Store.AddQueryAsync(session.Id, changed, CancellationToken.None);

        var before = await Store.GetRecordsAsync(session.Id, original.QueryId, 3, 1, CancellationToken.None);
        var after = await Store.GetRecordsAsync(session.Id, changed.QueryId, 3, 1, CancellationToken.None);

        Assert.Equal(2, (await KeysAsync("broker:result:*")).Count);
        Assert.Null(Assert.Single(before!.Records).DownloadUrl);
        Assert.Equal("http://127.0.0.1/new", Assert.Single(after!.Records).DownloadUrl);
    }

    [Fact]
    public async Task SharedResult_OnlyReachableThroughTheSessionsOwnQuery()
    {
        var mine = await Store.CreateAsync(CancellationToken.None);
        var other = await Store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(10);
        await Store.AddQueryAsync(mine.Id, result, CancellationToken.None);
        await Store.AddQueryAsync(other.Id, TestResults.Of(3, "EIT"), CancellationToken.None);

        Assert.Null(await Store.GetRecordsAsync(other.Id, result.QueryId, 0, 10, CancellationToken.None));
        Assert.Empty(await Store.FindRecordsAsync(other.Id, ["AIA-00001"], CancellationToken.None));
        Assert.Equal(10, (await Store.GetRecordsAsync(mine.Id, result.QueryId, 0, 100, CancellationToken.None))!.Records.Count);
    }

    [Fact]
    public async Task DeleteAndTrim_OfOneSession_KeepTheSharedResultForAnother()
    {
        var leaving = await Store.CreateAsync(CancellationToken.None);
        var trimmed = await Store.CreateAsync(CancellationToken.None);
        var staying = await Store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(20);
        await Store.AddQueryAsync(leaving.Id, result, CancellationToken.None);
        await Store.AddQueryAsync(trimmed.Id, result with { QueryId = Guid.CreateVersion7().ToString("N") }, CancellationToken.None);
        var kept = result with { QueryId = Guid.CreateVersion7().ToString("N") };
        await Store.AddQueryAsync(staying.Id, kept, CancellationToken.None);

        Assert.True(await Store.DeleteAsync(leaving.Id, CancellationToken.None));
        await Store.AddQueryAsync(trimmed.Id, TestResults.Of(2, "EIT"), CancellationToken.None);
        await Store.AddQueryAsync(trimmed.Id, TestResults.Of(2, "HMI"), CancellationToken.None); // MaxStoredQueries = 2: the shared one is trimmed

        var page = await Store.GetRecordsAsync(staying.Id, kept.QueryId, 0, 100, CancellationToken.None);
        var found = await Store.FindRecordsAsync(staying.Id, ["AIA-00007"], CancellationToken.None);
        var trimmedFound = await Store.FindRecordsAsync(trimmed.Id, ["AIA-00007"], CancellationToken.None);

        Assert.Equal(result.Records.Select(r => r.FileId), page!.Records.Select(r => r.FileId));
        Assert.Equal("soar", found["AIA-00007"].Provider);
        Assert.Empty(trimmedFound);
    }

    [Fact]
    public async Task AddQueryAndTouch_SlideTheSharedResultWithTheSession()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var later = await Store.CreateAsync(CancellationToken.None);
        await Store.TouchAsync(later.Id, CancellationToken.None); // in use: its sliding expiry has started
        var result = TestResults.Of(5);
        await Store.AddQueryAsync(session.Id, result, CancellationToken.None);
        var key = Assert.Single(await KeysAsync("broker:result:*"));
        var files = Assert.Single(await KeysAsync("broker:resultfiles:*"));

        await Db.KeyExpireAsync(key, TimeSpan.FromSeconds(30));
        await Db.KeyExpireAsync(files, TimeSpan.FromSeconds(30));
        await Store.TouchAsync(session.Id, CancellationToken.None);
        var afterTouch = (await Db.KeyTimeToLiveAsync(key), await Db.KeyTimeToLiveAsync(files));

        await Db.KeyExpireAsync(key, TimeSpan.FromSeconds(30));
        await Store.AddQueryAsync(later.Id, result with { QueryId = Guid.CreateVersion7().ToString("N") }, CancellationToken.None);
        var afterReuse = await Db.KeyTimeToLiveAsync(key);

        Assert.True(afterTouch.Item1 > Expiry - TimeSpan.FromMinutes(1), $"result TTL after touch: {afterTouch.Item1}");
        Assert.True(afterTouch.Item2 > Expiry - TimeSpan.FromMinutes(1), $"files TTL after touch: {afterTouch.Item2}");
        Assert.True(afterReuse > Expiry - TimeSpan.FromMinutes(1), $"result TTL after reuse: {afterReuse}");
    }

    [Fact]
    public async Task AddQuery_SharedResultGone_WritesItAgain()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var result = TestResults.Of(5);
        await Store.AddQueryAsync(session.Id, result, CancellationToken.None);
        await Db.KeyDeleteAsync(Assert.Single(await KeysAsync("broker:resultfiles:*"))); // as an eviction would
        var again = result with { QueryId = Guid.CreateVersion7().ToString("N") };

        await Store.AddQueryAsync(session.Id, again, CancellationToken.None);

        var found = await Store.FindRecordsAsync(session.Id, ["AIA-00004"], CancellationToken.None);
        Assert.Equal("sdac", found["AIA-00004"].Provider);
        Assert.Equal(5, (await Store.GetRecordsAsync(session.Id, again.QueryId, 0, 10, CancellationToken.None))!.Records.Count);
    }

    [Fact]
    public async Task AddQuery_ManySessionsStoringNewRecordsAtOnce_LeaveOneWholeCopy()
    {
        var result = TestResults.Of(1200);
        var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.CreateAsync(CancellationToken.None)));

        await Task.WhenAll(sessions.Select(s => Store.AddQueryAsync(s.Id, result, CancellationToken.None)));

        var key = Assert.Single(await KeysAsync("broker:result:*"));
        Assert.Equal(1200, await Db.ListLengthAsync(key));
        Assert.Equal(1200, await Db.HashLengthAsync(Assert.Single(await KeysAsync("broker:resultfiles:*"))));
        Assert.Empty(await KeysAsync("broker:result*-new:*"));
        foreach (var s in sessions)
            Assert.Equal("AIA-01199", (await Store.GetRecordsAsync(s.Id, result.QueryId, 1199, 5, CancellationToken.None))!.Records.Single().FileId);
    }

    [Fact]
    public async Task AddQuery_NoRecordsStored_AddsTheQueryWithoutASharedResult()
    {
        var session = await Store.CreateAsync(CancellationToken.None);
        var empty = TestResults.Of(0);

        await Store.AddQueryAsync(session.Id, empty, CancellationToken.None);
        await Store.TouchAsync(session.Id, CancellationToken.None);

        Assert.Equal(empty.QueryId, Assert.Single(await Store.GetHistoryAsync(session.Id, CancellationToken.None)).QueryId);
        Assert.Empty((await Store.GetRecordsAsync(session.Id, empty.QueryId, 0, 10, CancellationToken.None))!.Records);
        Assert.Empty(await KeysAsync("broker:result*"));
    }

    [Fact]
    public async Task AddQuery_UnknownSession_WritesNothing()
    {
        await Store.AddQueryAsync(SessionId.New(), TestResults.Of(5), CancellationToken.None);

        Assert.Empty(await KeysAsync("broker:*"));
    }
}
