using Broker.Adql;
using Broker.Core.Model;
using Broker.Providers.Tap.Tests.Fakes;

namespace Broker.Providers.Tap.Tests.Profiles;

/// <summary>The ADQL each profile sends, read back from the wire with the ADQL parser.</summary>
public sealed class AdqlTranslationTests : IAsyncLifetime
{
    private FakeTapServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeTapServer.StartAsync();
        _server.On("POST /tap/sync", Tables.EmptyForQuery("granule_uid", "dataproduct_type", "target_class", "time_min", "time_max",
            "spectral_range_min", "spectral_range_max", "instrument_host_name", "instrument_name", "processing_level", "service_title",
            "access_url", "access_format", "access_estsize"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<IReadOnlyList<SelectStatement>> SentQueriesAsync(string options, QueryBlock block, int maxRecords = 500)
    {
        var adapter = TapHarness.Adapter(_server, options);
        await adapter.SearchAsync(block, maxRecords, CancellationToken.None);
        return _server.Received("POST", "/tap/sync").Select(r => AdqlParser.Parse(r["QUERY"]!)).ToList();
    }

    private static string Canonical(string adql) => AdqlPrinter.Print(AdqlParser.Parse(adql));

    [Fact]
    public async Task SearchAsync_SoarInstrumentAndLevel_SendsOverlapActiveAndFilters()
    {
        var queries = await SentQueriesAsync("profile: soar\nmode: sync",
            TapHarness.Jan1 with { Instrument = "mag", Level = "2" });

        var sent = Assert.Single(queries);
        Assert.Equal(Canonical(
            "SELECT data_item_id, instrument, \"descriptor\", \"level\", begin_time, end_time, filesize, filename, soop_name, sensor " +
            "FROM soar.v_sc_data_item WHERE begin_time < '2022-01-02T00:00:00.000' AND end_time >= '2022-01-01T00:00:00.000' " +
            "AND (end_time > '2022-01-01T00:00:00.000' OR begin_time >= '2022-01-01T00:00:00.000') " +
            "AND is_active = 'True' AND instrument = 'MAG' AND \"level\" = 'L2' ORDER BY begin_time, data_item_id"), AdqlPrinter.Print(sent));
        var request = _server.Received("POST", "/tap/sync").Single();
        Assert.Equal("doQuery", request["REQUEST"]);
        Assert.Equal("ADQL", request["LANG"]);
        Assert.Equal("500", request["MAXREC"]);
        Assert.Equal("votable", request["FORMAT"]);
    }

    [Fact]
    public async Task SearchAsync_SoarLowLatencyLevel_UsesTheLowLatencyTable()
    {
        var sent = await SentQueriesAsync("profile: soar\nmode: sync", TapHarness.Jan1 with { Level = "ll02" });

        // The instruments with FITS views are joined with their low-latency views; the others read the main table.
        var plain = Assert.Single(sent, q => q.From.Single() is TableRef);
        Assert.Equal("soar.v_ll_data_item", ((TableRef)plain.From.Single()).Table.ToString());
        Assert.All(sent.Where(q => q != plain), q => Assert.Matches("FROM soar.v_ll_data_item AS h1 JOIN soar.v_..._ll_fits", AdqlPrinter.Print(q)));
        Assert.All(sent, q => Assert.Contains("\"level\" = 'LL02'", AdqlPrinter.Print(q), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_SoarWithoutFilters_StillJoinsEachFitsView_SoRecordsCarryWavelengthAndDetector()
    {
        var sent = await SentQueriesAsync("profile: soar\nmode: sync", TapHarness.Jan1);

        // Issue 9 item 5: the same file gives the same record with or without a wavelength/detector filter.
        var printed = sent.Select(AdqlPrinter.Print).ToList();
        Assert.Equal(6, printed.Count);
        Assert.Contains(Canonical(
            "SELECT h1.data_item_id, h1.instrument, h1.\"descriptor\", h1.\"level\", h1.begin_time, h1.end_time, h1.filesize, h1.filename, " +
            "h1.soop_name, h1.sensor, h2.detector, h2.wavelength, h2.wavemin, h2.wavemax " +
            "FROM soar.v_sc_data_item AS h1 JOIN soar.v_eui_sc_fits AS h2 USING (data_item_oid) " +
            "WHERE h1.begin_time < '2022-01-02T00:00:00.000' AND h1.end_time >= '2022-01-01T00:00:00.000' " +
            "AND (h1.end_time > '2022-01-01T00:00:00.000' OR h1.begin_time >= '2022-01-01T00:00:00.000') AND h1.is_active = 'True' " +
            "AND h1.instrument = 'EUI' AND h2.dimension_index = '1' " +
            "ORDER BY h1.begin_time, h1.data_item_id"), printed);
        var joined = printed.Where(p => p.Contains(" JOIN ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["eui", "met", "phi", "shi", "spi"], joined.Select(p => p.Split("JOIN soar.v_")[1][..3]).Order());
        var plain = Assert.Single(printed, p => !p.Contains(" JOIN ", StringComparison.Ordinal));
        Assert.Matches(@"NOT \(?instrument\)? ?(NOT )?IN \('EUI', 'METIS', 'PHI', 'SOLOHI', 'SPICE'\)", plain);
    }

    [Fact]
    public async Task SearchAsync_SoarEuiWavelength_JoinsFitsViewWithDimensionIndexAndOverlap()
    {
        var sent = Assert.Single(await SentQueriesAsync("profile: soar\nmode: sync",
            TapHarness.Jan1 with { Instrument = "EUI", Wave = new WaveRange(171, 185) }));

        Assert.Equal(Canonical(
            "SELECT h1.data_item_id, h1.instrument, h1.\"descriptor\", h1.\"level\", h1.begin_time, h1.end_time, h1.filesize, h1.filename, " +
            "h1.soop_name, h1.sensor, h2.detector, h2.wavelength, h2.wavemin, h2.wavemax " +
            "FROM soar.v_sc_data_item AS h1 JOIN soar.v_eui_sc_fits AS h2 USING (data_item_oid) " +
            "WHERE h1.begin_time < '2022-01-02T00:00:00.000' AND h1.end_time >= '2022-01-01T00:00:00.000' " +
            "AND (h1.end_time > '2022-01-01T00:00:00.000' OR h1.begin_time >= '2022-01-01T00:00:00.000') AND h1.is_active = 'True' " +
            "AND h1.instrument = 'EUI' AND h2.dimension_index = '1' AND h2.wavemin <= 185 AND h2.wavemax >= 171 " +
            "ORDER BY h1.begin_time, h1.data_item_id"), AdqlPrinter.Print(sent));
    }

    [Fact]
    public async Task SearchAsync_SoarMetisWavelengthInAngstrom_ConvertsToNanometres()
    {
        var sent = Assert.Single(await SentQueriesAsync("profile: soar\nmode: sync",
            TapHarness.Jan1 with { Instrument = "METIS", Wave = new WaveRange(1216, 1216) }));

        var text = AdqlPrinter.Print(sent);
        Assert.Contains("JOIN soar.v_met_sc_fits AS h2", text, StringComparison.Ordinal);
        Assert.Contains("h2.wavemin <= 121.6 AND h2.wavemax >= 121.6", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_SoarWavelengthWithoutInstrument_AsksEveryFitsView()
    {
        var queries = await SentQueriesAsync("profile: soar\nmode: sync", TapHarness.Jan1 with { Wave = new WaveRange(170, 180) });

        var views = queries.Select(q => ((TableRef)((JoinRef)q.From[0]).Right).Table.ToString()).Order().ToList();
        Assert.Equal(["soar.v_eui_sc_fits", "soar.v_met_sc_fits", "soar.v_phi_sc_fits", "soar.v_shi_sc_fits", "soar.v_spi_sc_fits"], views);
    }

    [Fact]
    public async Task SearchAsync_SoarWavelengthOnInSituInstrument_SendsNothing()
    {
        var adapter = TapHarness.Adapter(_server, "profile: soar");
        var answer = await adapter.SearchAsync(TapHarness.Jan1 with { Instrument = "MAG", Wave = new WaveRange(100, 200) }, 10, default);

        Assert.Empty(answer.Records);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SearchAsync_InstrumentWithQuotesAndKeywords_IsOneEscapedLiteral()
    {
        const string hostile = "EUI' OR '1'='1";
        var sent = Assert.Single(await SentQueriesAsync("profile: soar\nmode: sync", TapHarness.Jan1 with { Instrument = hostile }));

        var conditions = Flatten(sent.Where!).ToList();
        // The only OR is the time rule's (over time columns and timestamps); the hostile text adds none.
        Assert.Single(conditions, c => c is OrExpr);
        Assert.Contains(conditions, c => c is ComparisonExpr { Left: ColumnRef { Name: "instrument" }, Right: StringLiteral { Value: hostile } });
        Assert.Contains("'EUI'' OR ''1''=''1'", _server.Requests[0]["QUERY"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_ObsCoreKeywordInstrument_ComparesUpperCasedLiteral()
    {
        var sent = Assert.Single(await SentQueriesAsync("profile: obscore\nmode: sync", TapHarness.Jan1 with { Instrument = "select\"x" }));

        Assert.Contains(Flatten(sent.Where!), c => c is ComparisonExpr
        {
            Left: FunctionCall { Name: var f }, Right: StringLiteral { Value: "SELECT\"X" },
        } && f.Equals("UPPER", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SearchAsync_ObsCore_SendsMjdAndMetres()
    {
        var sent = Assert.Single(await SentQueriesAsync("profile: obscore\nmode: sync",
            TapHarness.Jan1 with { Source = "SDO", Level = "2", Wave = new WaveRange(100, 200) }));

        Assert.Equal(AdqlPrinter.Print(AdqlParser.ParseExpression(
            "t_min < 59581 AND t_max >= 59580 AND (t_max > 59580 OR t_min >= 59580) AND UPPER(facility_name) IN ('SDO', 'SOLAR DYNAMICS OBSERVATORY') AND calib_level = 2 " +
            "AND em_min <= 2E-08 AND em_max >= 1E-08")), AdqlPrinter.Print(sent.Where!));
        Assert.Equal(["t_min", "obs_publisher_did"], sent.OrderBy.Select(o => ((ColumnRef)o.Expression).Name));
        Assert.Equal("ivoa.obscore", ((TableRef)sent.From[0]).Table.ToString());
    }

    [Fact]
    public async Task SearchAsync_EpnTap_SendsJulianDaysSwappedFrequenciesAndTargetClass()
    {
        var sent = Assert.Single(await SentQueriesAsync("profile: epntap\nschema: bass2000\nmode: sync",
            TapHarness.Jan1 with { Instrument = "Meudon", Wave = new WaveRange(100, 1000) }));

        Assert.Equal("bass2000.epn_core", ((TableRef)sent.From[0]).Table.ToString());
        var comparisons = Flatten(sent.Where!).OfType<ComparisonExpr>().ToDictionary(c => ((ColumnRef)(c.Left is FunctionCall f ? f.Arguments[0] : c.Left)).Name);
        Assert.Equal(2459580.5, ((NumberLiteral)comparisons["time_max"].Right).Value);
        Assert.Equal(2459581.5, ((NumberLiteral)comparisons["time_min"].Right).Value);
        Assert.Equal("star", ((StringLiteral)comparisons["target_class"].Right).Value);
        // λ ≤ 1000 Å ⇔ ν ≥ c/1000 Å; λ ≥ 100 Å ⇔ ν ≤ c/100 Å.
        Assert.Equal(ComparisonOperator.GreaterOrEqual, comparisons["spectral_range_max"].Operator);
        Assert.Equal(2.99792458e15, ((NumberLiteral)comparisons["spectral_range_max"].Right).Value);
        Assert.Equal(ComparisonOperator.LessOrEqual, comparisons["spectral_range_min"].Operator);
        Assert.Equal(2.99792458e16, ((NumberLiteral)comparisons["spectral_range_min"].Right).Value);
    }

    [Fact]
    public async Task SearchAsync_ColumnOverride_UsesTheServicesName()
    {
        var sent = await SentQueriesAsync("profile: soar\nmode: sync\ncolumns:\n  is_active: active_flag", TapHarness.Jan1);

        Assert.All(sent, q => Assert.Contains("active_flag = 'True'", AdqlPrinter.Print(q), StringComparison.Ordinal));
    }

    private static IEnumerable<Expr> Flatten(Expr e) => e switch
    {
        AndExpr a => Flatten(a.Left).Concat(Flatten(a.Right)),
        _ => [e],
    };
}
