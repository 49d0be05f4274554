using System.Net;

namespace Broker.Simulators.Tests.Tap;

public sealed class SyncQueryTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task Sync_WhereOnInstrumentAndTime_ReturnsExactlyTheMatchingRows()
    {
        var response = await sim.SyncAsync("soar",
            "SELECT * FROM v_sc_data_item WHERE instrument='EUI' AND begin_time>='2022-03-01 00:00:00' AND begin_time<='2022-03-08 00:00:00'");
        var table = await SimulatorFixture.ReadTableAsync(response);

        var source = sim.Running.Catalog("soar").Find("v_sc_data_item")!;
        int inst = source.Ordinal("instrument"), begin = source.Ordinal("begin_time"), id = source.Ordinal("data_item_id");
        var from = new DateTime(2022, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = new DateTime(2022, 3, 8, 0, 0, 0, DateTimeKind.Utc);
        var expected = source.Rows.Where(r => (string)r[inst]! == "EUI" && (DateTime)r[begin]! >= from && (DateTime)r[begin]! <= to)
            .Select(r => (string)r[id]!).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OK", table.Status);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, table.Column("data_item_id").Cast<string>().ToList());
        Assert.All(table.Column("instrument"), v => Assert.Equal("EUI", v));
    }

    [Fact]
    public async Task Sync_OverlapQueryOnEndTime_MatchesFullScan()
    {
        // end_time > t0 AND begin_time < t1 uses the end-column narrowing path; compare with a full LINQ scan.
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("soar",
            "SELECT data_item_id FROM soar.v_sc_data_item WHERE end_time > '2021-06-01T12:00:00' AND begin_time < '2021-06-03T00:00:00'"));
        var source = sim.Running.Catalog("soar").Find("v_sc_data_item")!;
        int b = source.Ordinal("begin_time"), e = source.Ordinal("end_time"), id = source.Ordinal("data_item_id");
        var t0 = new DateTime(2021, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var t1 = new DateTime(2021, 6, 3, 0, 0, 0, DateTimeKind.Utc);
        var expected = source.Rows.Where(r => (DateTime)r[e]! > t0 && (DateTime)r[b]! < t1).Select(r => (string)r[id]!).ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, table.Column("data_item_id").Cast<string>().ToList());
    }

    [Theory]
    [InlineData("eui", "EUI", 2)]
    [InlineData("spi", "SPICE", 4)]
    [InlineData("met", "METIS", 2)]
    public async Task Sync_JoinWithoutDimensionIndex_DuplicatesRowsPerHeader(string view, string instrument, int factor)
    {
        var select = "SELECT h1.data_item_id, h2.dimension_index FROM v_sc_data_item AS h1 JOIN v_" + view +
            "_sc_fits AS h2 USING (data_item_oid) WHERE h1.instrument='" + instrument +
            "' AND h1.begin_time>='2022-01-01 00:00:00' AND h1.begin_time<='2022-02-01 00:00:00'";
        var all = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("soar", select));
        var first = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("soar", select + " AND h2.dimension_index='1'"));

        Assert.NotEmpty(first.Rows);
        Assert.Equal(first.Rows.Count * factor, all.Rows.Count);
        var ids = first.Column("data_item_id").Cast<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Sync_SunpyWavelengthJoin_ReturnsOnlyThatWavelength()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("soar",
            "SELECT h1.instrument, h1.descriptor, h1.level, h1.begin_time, h1.end_time, h1.data_item_id, h1.filesize, h1.filename, " +
            "h1.soop_name, h2.detector, h2.wavelength, h2.dimension_index FROM v_sc_data_item AS h1 JOIN v_eui_sc_fits AS h2 " +
            "USING (data_item_oid) WHERE h1.instrument='EUI' AND h1.begin_time>='2022-03-01 00:00:00' AND " +
            "h1.begin_time<='2022-04-01 00:00:00' AND h2.dimension_index='1' AND h1.level='L1' AND h2.Wavelength='304.0'"));

        Assert.NotEmpty(table.Rows);
        Assert.All(table.Column("wavelength"), w => Assert.Equal(304.0, Convert.ToDouble(w)));
        Assert.All(table.Column("descriptor"), d => Assert.Equal("eui-fsi304-image", d));
    }

    [Fact]
    public async Task Sync_MaxRec_TruncatesAndReportsOverflow()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("sdo", "SELECT * FROM ivoa.obscore", ("MAXREC", "7")));

        Assert.Equal(7, table.Rows.Count);
        Assert.Equal("OVERFLOW", table.Status);
    }

    [Fact]
    public async Task Sync_MaxRecZero_ReturnsMetadataOnlyWithOverflow()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("sdo", "SELECT obs_publisher_did FROM ivoa.obscore", ("MAXREC", "0")));

        Assert.Empty(table.Rows);
        Assert.Equal("OVERFLOW", table.Status);
        Assert.Equal(["obs_publisher_did"], table.Columns);
    }

    [Fact]
    public async Task Sync_TopBelowMaxRec_IsNotOverflow()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("sdo", "SELECT TOP 3 * FROM ivoa.obscore", ("MAXREC", "10")));

        Assert.Equal(3, table.Rows.Count);
        Assert.Equal("OK", table.Status);
    }

    [Theory]
    [InlineData("SELEC * FROM ivoa.obscore", "Syntax error")]
    [InlineData("SELECT * FROM ivoa.nothing", "nothing")]
    [InlineData("SELECT no_such_column FROM ivoa.obscore", "no_such_column")]
    public async Task Sync_BadQuery_Returns400WithErrorVoTable(string query, string messagePart)
    {
        var response = await sim.SyncAsync("sdo", query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<INFO name=\"QUERY_STATUS\" value=\"ERROR\">", body, StringComparison.Ordinal);
        Assert.Contains(messagePart, body, StringComparison.Ordinal);
        Assert.DoesNotContain("<TABLE", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_UnknownLanguageOrFormat_Returns400()
    {
        var lang = await sim.Http.GetAsync(sim.Running.BaseUrl("sdo") + "/sync?LANG=OOBLECK&QUERY=SELECT+1");
        var format = await sim.SyncAsync("sdo", "SELECT TOP 1 * FROM ivoa.obscore", ("FORMAT", "fits-please"));

        Assert.Equal(HttpStatusCode.BadRequest, lang.StatusCode);
        Assert.Contains("unknown query language", await lang.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
    }

    [Fact]
    public async Task Sync_Binary2AndTableData_CarryTheSameRows()
    {
        const string query = "SELECT * FROM nrh.epn_core WHERE time_min >= 2459580.5 AND time_min < 2459590.5";
        var td = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("nrh", query));
        var b2Response = await sim.SyncAsync("nrh", query, ("RESPONSEFORMAT", "votable/b2"));
        var b2 = await SimulatorFixture.ReadTableAsync(b2Response);

        Assert.Contains("BINARY2", b2Response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(td.Rows);
        Assert.Equal(td.Columns, b2.Columns);
        Assert.Equal(td.Rows.Count, b2.Rows.Count);
        for (var i = 0; i < td.Rows.Count; i++) Assert.Equal(td.Rows[i], b2.Rows[i]);
    }

    [Theory]
    [InlineData("csv", "text/csv")]
    [InlineData("json", "application/json")]
    [InlineData("votable_plain", "application/x-votable+xml")]
    public async Task Sync_Formats_AnswerWithTheirContentType(string format, string contentType)
    {
        var response = await sim.SyncAsync("sdo", "SELECT TOP 4 obs_publisher_did, t_min FROM ivoa.obscore", ("FORMAT", format));
        var table = await SimulatorFixture.ReadTableAsync(response);

        Assert.StartsWith(contentType, response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, table.Rows.Count);
    }

    [Fact]
    public async Task Sync_GetWithLowerCaseParameterNames_IsAccepted()
    {
        var response = await sim.Http.GetAsync(sim.Running.BaseUrl("soar") +
            "/sync?request=doQuery&lang=ADQL&format=json&maxrec=2&query=" + Uri.EscapeDataString("SELECT * FROM v_ll_data_item"));
        var table = await SimulatorFixture.ReadTableAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, table.Rows.Count);
        Assert.All(table.Column("level"), l => Assert.StartsWith("LL", (string)l!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_ObsCoreMjdWindow_ReturnsRowsInsideTheWindow()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("sdo",
            "SELECT obs_publisher_did, t_min, em_min, access_url FROM ivoa.obscore WHERE t_min BETWEEN 59580 AND 59600 AND instrument_name = 'AIA'"));

        Assert.NotEmpty(table.Rows);
        Assert.All(table.Column("t_min"), t => Assert.InRange(Convert.ToDouble(t), 59580, 59600));
        Assert.All(table.Column("access_url"), u => Assert.StartsWith(sim.Running.DataUrl("sdo") + "?ID=", (string)u!, StringComparison.Ordinal));
    }
}
