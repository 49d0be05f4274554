using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Units;
using Broker.Providers.Tap.Tests.Fakes;

namespace Broker.Providers.Tap.Tests.Profiles;

/// <summary>
/// The one time rule at every edge, for every profile: the ADQL each profile sends is run by the project's ADQL
/// evaluator over records placed on the edges, and the records that come back must be exactly those
/// <see cref="TimeRule"/> accepts.
/// </summary>
public sealed class TimeRuleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset S = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T = S.AddDays(1);
    private static readonly TimeSpan H = TimeSpan.FromHours(1);

    /// <summary>Records [begin, end) on and around the edges of [S, T).</summary>
    private static readonly (string Id, DateTimeOffset Begin, DateTimeOffset End)[] Edges =
    [
        ("ends-at-start", S - H, S),
        ("crosses-start", S - H, S + H),
        ("zero-at-start", S, S),
        ("starts-at-start", S, S + H),
        ("zero-inside", S + H, S + H),
        ("exactly", S, T),
        ("covers", S - H, T + H),
        ("crosses-end", T - H, T + H),
        ("ends-at-end", T - H, T),
        ("zero-at-end", T, T),
        ("starts-at-end", T, T + H),
        ("before", S - 2 * H, S - H),
        ("after", T + H, T + 2 * H),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var profile in new[] { "soar", "obscore", "epntap" })
        foreach (var (name, _) in Queries)
            data.Add(profile, name);
        return data;
    }

    private static readonly (string Name, TimeRange Range)[] Queries =
    [
        ("day", new TimeRange(S, T)),
        ("instant-at-start", new TimeRange(S, S)),
        ("instant-at-end", new TimeRange(T, T)),
        ("instant-inside", new TimeRange(S + H, S + H)),
        ("hour-after-start", new TimeRange(S, S + H)),
    ];

    private FakeTapServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTapServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Search_RecordsOnTheEdges_MatchExactlyWhatTheTimeRuleAccepts(string profile, string query)
    {
        var range = Queries.Single(q => q.Name == query).Range;
        EvaluatingTap.Serve(_server, Catalog(profile));
        var adapter = TapHarness.Adapter(_server, Options(profile));

        var answer = await adapter.SearchAsync(new QueryBlock { Time = range }, 1000, CancellationToken.None);

        var expected = Edges.Where(e => TimeRule.Matches(range, e.Begin, e.End)).Select(e => e.Id).Order().ToList();
        Assert.Equal(expected, answer.Records.Select(r => r.FileId).Order().ToList());
        Assert.NotEmpty(expected);
        // Read back with the project's parser: the rule is in the WHERE clause, not applied by the adapter afterwards.
        var sent = AdqlParser.Parse(_server.Received("POST", "/tap/sync").Last()["QUERY"]!);
        Assert.NotNull(sent.Where);
    }

    [Fact]
    public void TimeRule_IssueStatements_Hold()
    {
        // [begin, end) against [start, end): begin < end(query) and end(record) > start.
        Assert.True(TimeRule.Matches(new TimeRange(S, T), S - H, S + H));
        Assert.False(TimeRule.Matches(new TimeRange(S, T), S - H, S));
        Assert.False(TimeRule.Matches(new TimeRange(S, T), T, T + H));
        // An instant t matches begin ≤ t < end.
        Assert.True(TimeRule.Matches(new TimeRange(S, S), S, S + H));
        Assert.False(TimeRule.Matches(new TimeRange(S, S), S - H, S));
        // A zero-length record matches start ≤ begin < end(query).
        Assert.True(TimeRule.Matches(new TimeRange(S, T), S, S));
        Assert.False(TimeRule.Matches(new TimeRange(S, T), T, T));
        // A record without an end is the instant at its begin.
        Assert.True(TimeRule.Matches(new TimeRange(S, T), S, null));
    }

    private static string Options(string profile) => profile switch
    {
        "soar" => "profile: soar\nmode: sync\ntable: soar.v_sc_data_item\ninstrumentTables: {}", // the catalog has no FITS views
        "obscore" => "profile: obscore\nmode: sync\ntable: ivoa.obscore",
        _ => "profile: epntap\nmode: sync\ntable: sun.epn_core",
    };

    private static InMemoryCatalog Catalog(string profile)
    {
        static DateTime Utc(DateTimeOffset t) => t.UtcDateTime;
        return profile switch
        {
            "soar" => new InMemoryCatalog().Add(Table("soar", "v_sc_data_item",
                [("data_item_id", "char"), ("instrument", "char"), ("descriptor", "char"), ("level", "char"), ("begin_time", "timestamp"),
                 ("end_time", "timestamp"), ("filesize", "long"), ("filename", "char"), ("soop_name", "char"), ("sensor", "char"), ("is_active", "char")],
                e => [e.Id, "EUI", "eui-fsi174-image", "L1", Utc(e.Begin), Utc(e.End), 1000L, e.Id + ".fits", null, null, "True"])),
            "obscore" => new InMemoryCatalog().Add(Table("ivoa", "obscore",
                [("obs_publisher_did", "char"), ("obs_collection", "char"), ("facility_name", "char"), ("instrument_name", "char"),
                 ("t_min", "double"), ("t_max", "double"), ("em_min", "double"), ("em_max", "double"), ("calib_level", "long"),
                 ("access_url", "char"), ("access_format", "char"), ("access_estsize", "long"), ("dataproduct_type", "char"), ("o_ucd", "char")],
                e => [e.Id, "c", "SDO", "AIA", SolarTime.ToModifiedJulianDay(e.Begin), SolarTime.ToModifiedJulianDay(e.End), null, null, 2L,
                      "http://x/" + e.Id, null, null, "image", null])),
            _ => new InMemoryCatalog().Add(Table("sun", "epn_core",
                [("granule_uid", "char"), ("dataproduct_type", "char"), ("target_class", "char"), ("time_min", "double"), ("time_max", "double"),
                 ("spectral_range_min", "double"), ("spectral_range_max", "double"), ("instrument_host_name", "char"), ("instrument_name", "char"),
                 ("processing_level", "long"), ("service_title", "char"), ("access_url", "char"), ("access_format", "char"), ("access_estsize", "long")],
                e => [e.Id, "im", "star", SolarTime.ToJulianDay(e.Begin), SolarTime.ToJulianDay(e.End), null, null, "SDO", "AIA", 3L, "t",
                      "http://x/" + e.Id, null, null])),
        };
    }

    private static InMemoryTable Table(string schema, string name, (string Name, string Type)[] columns,
        Func<(string Id, DateTimeOffset Begin, DateTimeOffset End), object?[]> row) =>
        new(schema, name,
            columns.Select(c => c.Type switch
            {
                "char" => new AdqlColumn(c.Name, "char", "*"),
                "timestamp" => new AdqlColumn(c.Name, "char", "*", "timestamp"),
                var t => new AdqlColumn(c.Name, t),
            }).ToList(),
            Edges.Select(row).ToList());
}
