using System.Runtime.CompilerServices;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Sessions.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Sessions.Tests.Memory;

/// <summary>What the in-memory store keeps of a search: its records, packed, field for field; nothing else of the search.</summary>
public sealed class MemoryStoredRecordsTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly BrokerSessionOptions _options = new() { MaxStoredRecords = 3 };

    /// <summary>Every field set, texts beyond ASCII and beyond the usual lengths, and one with nearly nothing set.</summary>
    private static readonly DataRecord[] Records =
    [
        new()
        {
            Provider = "soar", FileId = "solo_L2_eui-fsi174-image_20240301T120000_V01.fits", Identity = "ivo://esa.int/soar?solo_L2_eui-fsi174-image_20240301",
            Source = "Solar Orbiter", Instrument = "EUI", Detector = "FSI", Physobs = "intensity", Level = "2",
            Start = Start, End = new DateTimeOffset(2024, 3, 1, 13, 0, 0, TimeSpan.FromHours(1)), WaveMin = 171.5, WaveMax = double.PositiveInfinity,
            WaveType = "NARROW", Extent = new Extent("0", "-12.5", "3600", null, "FULLDISK"),
            Sky = new SkyCoverage { Ra = 359.999, Dec = -0.0, FovDeg = 1.5, Region = "POLYGON ICRS 1 2 3 4 5 6", ResolutionArcsec = 0.6, Xel1 = 3072, Xel2 = long.MaxValue },
            SizeKb = 12_288, Info = "collection EUI · calib_level 2", DataType = "IMAGE", DownloadUrl = "https://soar.esac.esa.int/soar-sl-tap/data?retrieval_type=PRODUCT&data_item_id=solo_L2_eui",
            ContentType = "application/fits", ThumbnailUrl = "https://soar.esac.esa.int/thumb/é.png", Restricted = true,
            AlsoAt = [new RecordAlternative("sdac", "eui-174-0001"), new RecordAlternative("mirror", new string('x', 700))],
        },
        new() { Provider = "sdac", FileId = "Ωmega-αβγ-太陽-" + new string('9', 400) },
        new() { Provider = "soar", FileId = "same", Identity = "same", Instrument = "EUI", Info = "collection EUI · calib_level 2", AlsoAt = [] },
        new() { Provider = "soar", FileId = "beyond the stored records" },
    ];

    [Fact]
    public async Task StoredRecords_ComeBackFieldForField_AndGetDataFindsThemByFileId()
    {
        var store = new MemorySessionStore(_options, _time);
        var session = await store.CreateAsync(CancellationToken.None);
        var result = ResultOf(Records);
        await store.AddQueryAsync(session.Id, result, CancellationToken.None);

        var page = await store.GetRecordsAsync(session.Id, result.QueryId, 0, 10, CancellationToken.None);
        var middle = await store.GetRecordsAsync(session.Id, result.QueryId, 1, 1, CancellationToken.None);
        var beyond = await store.GetRecordsAsync(session.Id, result.QueryId, 5, 10, CancellationToken.None);
        var negative = await store.GetRecordsAsync(session.Id, result.QueryId, -4, 2, CancellationToken.None);
        var found = await store.FindRecordsAsync(session.Id, [Records[1].FileId, Records[0].FileId, "unknown", Records[3].FileId], CancellationToken.None);

        Assert.Equal(3, page!.Total);
        Assert.Equal(Records.Take(3).Select(SessionJson.Write), page.Records.Select(SessionJson.Write));
        Assert.Equal([SessionJson.Write(Records[1])], middle!.Records.Select(SessionJson.Write));
        Assert.Equal((3, 0), (beyond!.Total, beyond.Records.Count));
        Assert.Equal(Records.Take(2).Select(SessionJson.Write), negative!.Records.Select(SessionJson.Write));
        Assert.Equal([Records[0].FileId, Records[1].FileId], found.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(SessionJson.Write(Records[0]), SessionJson.Write(found[Records[0].FileId]));
        Assert.Equal(SessionJson.Write(Records[1]), SessionJson.Write(found[Records[1].FileId]));
    }

    [Fact]
    public async Task GetData_FindsTheNewestQuerysRecord_WhenTwoQueriesHoldTheSameFileId()
    {
        var store = new MemorySessionStore(_options, _time);
        var session = await store.CreateAsync(CancellationToken.None);
        await store.AddQueryAsync(session.Id, ResultOf([Records[2] with { DownloadUrl = "https://old.example/file" }]), CancellationToken.None);
        await store.AddQueryAsync(session.Id, ResultOf([Records[2] with { DownloadUrl = "https://new.example/file" }]), CancellationToken.None);

        var found = await store.FindRecordsAsync(session.Id, ["same"], CancellationToken.None);

        Assert.Equal("https://new.example/file", found["same"].DownloadUrl);
    }

    [Fact]
    public async Task StoredSearch_KeepsNoneOfTheSearchsRecordObjects_NorItsProvidersRecords()
    {
        var store = new MemorySessionStore(_options, _time);
        var session = await store.CreateAsync(CancellationToken.None);

        var (queryId, record, providerRecords) = await StoreOneAsync(store, session.Id);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var summary = await store.GetQueryAsync(session.Id, queryId, CancellationToken.None);

        // A stored search holds its records packed (objects rebuilt per read) and its provider lines without records:
        // the history kept whole provider answers alive, beyond MaxStoredRecords and the store's memory budget.
        Assert.False(record.IsAlive, "a record object of the stored search is still reachable");
        Assert.False(providerRecords.IsAlive, "a provider's record list is still reachable");
        Assert.Equal((1, 4), (summary!.Providers.Count, summary.Providers[0].RecordCount));
        Assert.Empty(summary.Providers[0].Records);
        Assert.Equal(3, summary.StoredRecords);
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // the records' only references live in this frame
    private static async Task<(string QueryId, WeakReference Record, WeakReference ProviderRecords)> StoreOneAsync(MemorySessionStore store, string sessionId)
    {
        var records = Records.Select(r => r with { }).ToList();
        var result = ResultOf(records);
        await store.AddQueryAsync(sessionId, result, CancellationToken.None);
        return (result.QueryId, new WeakReference(records[0]), new WeakReference(result.Providers[0].Records));
    }

    private static SearchResult ResultOf(IReadOnlyList<DataRecord> records) => new()
    {
        QueryId = Guid.CreateVersion7().ToString("N"), CreatedAt = Start,
        Query = NormalizedQuery.Single(new QueryBlock { Time = new TimeRange(Start, Start.AddDays(1)) }),
        Records = records, Total = records.Count, Truncated = false,
        Providers = [new ProviderOutcome { ProviderId = "soar", Status = ProviderStatus.Ok, RecordCount = records.Count, Records = [.. records] }],
    };
}
