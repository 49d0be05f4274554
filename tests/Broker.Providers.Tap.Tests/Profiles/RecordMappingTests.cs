using Broker.Core.Model;
using Broker.Core.Units;
using Broker.Providers.Tap.Tests.Fakes;
using Broker.VoTable;
using static Broker.Providers.Tap.Tests.Fakes.Tables;

namespace Broker.Providers.Tap.Tests.Profiles;

/// <summary>Rows become records with units converted by hand-checked values.</summary>
public sealed class RecordMappingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan1 = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private FakeTapServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTapServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly TableField[] SoarFields =
    [
        Text("data_item_id"), Text("instrument"), Text("descriptor"), Text("level"), Text("begin_time"), Text("end_time"),
        Long("filesize"), Text("filename"), Text("soop_name"), Text("sensor"), Text("detector"), Double("wavelength"),
        Double("wavemin"), Double("wavemax"),
    ];

    private static object?[][] SoarRows =>
    [
        ["solo_L1_eui-fsi174-image_20220101T000000", "EUI", "eui-fsi174-image", "L1", "2022-01-01T00:00:00.0", "2022-01-01T00:00:10.0",
            2048L, "solo_L1_eui-fsi174-image_20220101T000000_V01.fits", "none", null, "FSI", 174.0, 171.0, 185.0],
        ["solo_L2_metis-uv-image_20220101T000000", "METIS", "metis-uv-image", "L2", "2022-01-01T01:00:00.0", "2022-01-01T01:01:00.0",
            1048576L, "m.fits", "R_SMALL", null, "UVD", 121.6, 121.6, 121.6],
        // A second FITS row of the same file (the dimension_index pitfall) must not give a second record.
        ["solo_L1_eui-fsi174-image_20220101T000000", "EUI", "eui-fsi174-image", "L1", "2022-01-01T00:00:00.0", "2022-01-01T00:00:10.0",
            2048L, "solo_L1_eui-fsi174-image_20220101T000000_V01.fits", "none", null, "FSI", 174.0, 171.0, 185.0],
        ["solo_LL02_epd-het-asun-rates_20220101", "EPD", "epd-het-asun-rates", "LL02", "2022-01-01T00:00:00", "2022-01-02T00:00:00",
            10240L, "e.cdf", null, "HET", null, null, null, null],
    ];

    [Fact]
    public async Task SearchAsync_SoarRows_ConvertUnitsSizesAndUrls()
    {
        _server.On("POST /tap/sync", Result(SoarFields, SoarRows));
        // One query (no instrument views): the fake answers every query with all the rows.
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 100, default);

        Assert.Equal(3, answer.Records.Count);
        var eui = answer.Records[0];
        Assert.Equal("p", eui.Provider);
        Assert.Equal("SOLO", eui.Source);
        Assert.Equal("EUI", eui.Instrument);
        Assert.Equal("FSI", eui.Detector);
        Assert.Equal(171.0, eui.WaveMin);
        Assert.Equal(185.0, eui.WaveMax);
        Assert.Equal(2.0, eui.SizeKb);
        Assert.Equal(Jan1, eui.Start);
        Assert.Equal(Jan1.AddSeconds(10), eui.End);
        Assert.Equal("L1 eui-fsi174-image none", eui.Info);
        Assert.Equal("IMAGE", eui.DataType);
        Assert.Equal(new Uri(_server.Root, "data?retrieval_type=LAST_PRODUCT&product_type=SCIENCE&data_item_id=solo_L1_eui-fsi174-image_20220101T000000").AbsoluteUri,
            eui.DownloadUrl);

        var metis = answer.Records[1];
        Assert.Equal(1216.0, metis.WaveMin);
        Assert.Equal(1216.0, metis.WaveMax);
        Assert.Equal(1024.0, metis.SizeKb);

        var epd = answer.Records[2];
        Assert.Equal("HET", epd.Detector);
        Assert.Null(epd.WaveMin);
        Assert.Equal("TIMESERIES", epd.DataType);
        Assert.Contains("product_type=LOW_LATENCY", epd.DownloadUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_SoarIdNeedingEscapes_IsUrlEncodedInTheDataUrl()
    {
        _server.On("POST /tap/sync", Result(SoarFields, [["id with&odd=chars", "MAG", "mag-rtn", "L2", "2022-01-01T00:00:00", "2022-01-01T01:00:00", 1L, null, null, null, null, null, null, null]]));
        var adapter = TapHarness.Adapter(_server, "profile: soar\nmode: sync");

        var record = Assert.Single((await adapter.SearchAsync(TapHarness.Jan1, 10, default)).Records);

        Assert.EndsWith("data_item_id=id%20with%26odd%3Dchars", record.DownloadUrl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TableFormat.VoTableBinary2)]
    [InlineData(TableFormat.VoTableBinary)]
    [InlineData(TableFormat.Json)]
    public async Task SearchAsync_OtherSerializations_GiveTheSameRecordsAsTableData(TableFormat format)
    {
        _server.On("POST /tap/sync", Result(SoarFields, SoarRows));
        var adapter = TapHarness.Adapter(_server, "profile: soar\nmode: sync");
        var fromTableData = (await adapter.SearchAsync(TapHarness.Jan1, 100, default)).Records;

        _server.On("POST /tap/sync", Result(SoarFields, SoarRows, format));
        var fromOther = (await adapter.SearchAsync(TapHarness.Jan1, 100, default)).Records;

        Assert.Equal(3, fromTableData.Count);
        Assert.Equal(fromTableData, fromOther);
    }

    [Fact]
    public async Task SearchAsync_Binary2Format_AsksForBinary2()
    {
        _server.On("POST /tap/sync", Result(SoarFields, SoarRows, TableFormat.VoTableBinary2));
        var adapter = TapHarness.Adapter(_server, "profile: soar\nmode: sync\nformat: binary2");

        await adapter.SearchAsync(TapHarness.Jan1, 100, default);

        Assert.Equal("application/x-votable+xml;serialization=BINARY2", _server.Requests[0]["FORMAT"]);
    }

    [Fact]
    public async Task SearchAsync_ObsCoreRow_MjdMetresAndKilobytes()
    {
        TableField[] fields =
        [
            Text("obs_publisher_did"), Text("obs_collection"), Text("facility_name"), Text("instrument_name"), Double("t_min"), Double("t_max"),
            Double("em_min"), Double("em_max"), Long("calib_level"), Text("access_url"), Text("access_format"), Long("access_estsize"),
            Text("dataproduct_type"), Text("o_ucd"),
        ];
        _server.On("POST /tap/sync", Result(fields,
            [["ivo://example/obs?1", "aia-lev1", "SDO", "AIA", 59580.0, 59580.5, 1e-8, 2e-8, 1L, "http://127.0.0.1/f.fits", "image/fits", 2L, "image", null]]));
        var adapter = TapHarness.Adapter(_server, "profile: obscore\nmode: sync");

        var r = Assert.Single((await adapter.SearchAsync(TapHarness.Jan1, 10, default)).Records);

        Assert.Equal("ivo://example/obs?1", r.FileId);
        Assert.Equal("SDO", r.Source);
        Assert.Equal(Jan1, r.Start);
        Assert.Equal(Jan1.AddHours(12), r.End);
        Assert.Equal(100.0, r.WaveMin);
        Assert.Equal(200.0, r.WaveMax);
        Assert.Equal(2.0, r.SizeKb);
        Assert.Equal("1", r.Level);
        Assert.Equal("IMAGE", r.DataType);
        Assert.Equal("http://127.0.0.1/f.fits", r.DownloadUrl);
        Assert.Equal("image/fits", r.ContentType);
    }

    private static readonly string[] ObsCoreNames =
    [
        "obs_publisher_did", "obs_collection", "facility_name", "instrument_name", "t_min", "t_max", "em_min", "em_max", "calib_level",
        "access_url", "access_format", "access_estsize", "dataproduct_type", "o_ucd",
    ];

    [Fact]
    public async Task SearchAsync_ObsCoreSpatialColumns_CarriedAsTheServiceGivesThem()
    {
        string[] spatial = ["s_ra", "s_dec", "s_fov", "s_region", "s_resolution", "s_xel1", "s_xel2"];
        _server.On("GET /tap/tables", Answer.Xml(Vosi.Tableset(("ivoa", "obscore", [.. ObsCoreNames, .. spatial]))));
        TableField[] fields =
        [
            .. ObsCoreNames.Select(n => n.StartsWith("t_", StringComparison.Ordinal) || n.StartsWith("em_", StringComparison.Ordinal) ? Double(n) : Text(n)),
            Double("s_ra"), Double("s_dec"), Double("s_fov"), new TableField("s_region", "double", "*", "polygon"), Double("s_resolution"),
            Long("s_xel1"), Long("s_xel2"),
        ];
        object?[] Row(string id, double? ra, double? dec, object? region) =>
            [id, "c", "SDO", "AIA", 59580.0, 59580.5, null, null, "1", "http://127.0.0.1/f", null, null, "image", null, ra, dec, 0.96, region, 0.6, 4096L, 4096L];
        _server.On("POST /tap/sync", Result(fields,
            [Row("ivo://x?1", 359.5, -23.0, new[] { 359.0, -23.5, 0.5, -23.5, 0.5, -22.5 }), Row("ivo://x?2", null, null, null)]));
        var adapter = TapHarness.Adapter(_server, "profile: obscore\nmode: sync");

        var records = (await adapter.SearchAsync(TapHarness.Jan1, 10, default)).Records;

        Assert.Contains("s_region", _server.Requests.Single(r => r.Path.EndsWith("/sync", StringComparison.Ordinal))["QUERY"]);
        var sky = records[0].Sky!;
        Assert.Equal((359.5, -23.0, 0.96, 0.6, 4096L, 4096L), (sky.Ra!.Value, sky.Dec!.Value, sky.FovDeg!.Value, sky.ResolutionArcsec!.Value, sky.Xel1!.Value, sky.Xel2!.Value));
        Assert.Equal("359 -23.5 0.5 -23.5 0.5 -22.5", sky.Region);
        Assert.Null(records[1].Sky!.Ra);
        Assert.Null(records[1].Sky!.Region);
    }

    [Fact]
    public async Task SearchAsync_ObsCoreWithoutSpatialColumns_NeitherAsksForThemNorInventsThem()
    {
        _server.On("GET /tap/tables", Answer.Xml(Vosi.Tableset(("ivoa", "obscore", ObsCoreNames))));
        TableField[] fields = [.. ObsCoreNames.Select(n => n.StartsWith("t_", StringComparison.Ordinal) ? Double(n) : Text(n))];
        _server.On("POST /tap/sync", Result(fields, [["ivo://x?1", "c", "SDO", "AIA", 59580.0, 59580.5, null, null, "1", "http://127.0.0.1/f", null, null, "image", null]]));
        var adapter = TapHarness.Adapter(_server, "profile: obscore\nmode: sync");

        var r = Assert.Single((await adapter.SearchAsync(TapHarness.Jan1, 10, default)).Records);

        Assert.DoesNotContain("s_ra", _server.Requests.Single(q => q.Path.EndsWith("/sync", StringComparison.Ordinal))["QUERY"]);
        Assert.Null(r.Sky);
    }

    [Fact]
    public async Task SearchAsync_EpnTapRow_JulianDayHertzAndThumbnail()
    {
        TableField[] fields =
        [
            Text("granule_uid"), Text("dataproduct_type"), Text("target_class"), Double("time_min"), Double("time_max"),
            Double("spectral_range_min"), Double("spectral_range_max"), Text("instrument_host_name"), Text("instrument_name"),
            Long("processing_level"), Text("service_title"), Text("access_url"), Text("access_format"), Long("access_estsize"), Text("thumbnail_url"),
        ];
        _server.On("POST /tap/sync", Result(fields,
            [["g1", "im", "star", 2459580.5, 2459580.75, 3e15, 6e15, "Meudon", "Spectroheliograph", 3L, "bass2000", "http://127.0.0.1/g1.jpg", "image/jpeg", 40L, "http://127.0.0.1/t.jpg"]]));
        var adapter = TapHarness.Adapter(_server, "profile: epntap\nschema: bass2000\nmode: sync");

        var r = Assert.Single((await adapter.SearchAsync(TapHarness.Jan1, 10, default)).Records);

        Assert.Equal(Jan1, r.Start);
        Assert.Equal(Jan1.AddHours(6), r.End);
        Assert.Equal(2.99792458e18 / 6e15, r.WaveMin);
        Assert.Equal(2.99792458e18 / 3e15, r.WaveMax);
        Assert.Equal(999.3081933333333, r.WaveMax!.Value, 10);
        Assert.Equal(40.0, r.SizeKb);
        Assert.Equal("Meudon", r.Source);
        Assert.Equal("IMAGE", r.DataType);
        Assert.Equal("http://127.0.0.1/t.jpg", r.ThumbnailUrl);
        Assert.Equal("processing_level 3 bass2000", r.Info);
    }

    [Fact]
    public void UnitConstants_MatchHandComputedValues()
    {
        Assert.Equal(Jan1, SolarTime.FromJulianDay(2459580.5));
        Assert.Equal(Jan1, SolarTime.FromModifiedJulianDay(59580));
        Assert.Equal(2459580.5, SolarTime.ToJulianDay(Jan1));
    }
}
