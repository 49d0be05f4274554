using Broker.Adql;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Providers.Tap.Tests.Fakes;
using static Broker.Providers.Tap.Tests.Fakes.Tables;

namespace Broker.Providers.Tap.Tests;

public sealed class GetDataTests : IAsyncLifetime
{
    private FakeTapServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTapServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ResolveFilesAsync_SoarWithoutRecord_BuildsTheDataUrlFromTheId_Unverified()
    {
        var adapter = TapHarness.Adapter(_server, "profile: soar");

        var files = await adapter.ResolveFilesAsync([new FileRequest("solo_L2_mag-rtn-normal_20220101"), new FileRequest("solo_LL02_epd-het_20220101")], default);

        // Nobody asked SOAR whether these ids exist: the URL is the archive's pattern, so it is unverified, not ok.
        Assert.All(files, f => Assert.Equal(FileStatus.Unverified, f.Status));
        Assert.All(files, f => Assert.Contains("not asked", f.Detail));
        Assert.Equal(new Uri(_server.Root, "data?retrieval_type=LAST_PRODUCT&product_type=SCIENCE&data_item_id=solo_L2_mag-rtn-normal_20220101").AbsoluteUri, files[0].Url);
        Assert.Contains("product_type=LOW_LATENCY", files[1].Url, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ResolveFilesAsync_SoarCustomDataPath_UsesIt()
    {
        var adapter = TapHarness.Adapter(_server, "profile: soar\ndataPath: /archive/data");

        var file = Assert.Single(await adapter.ResolveFilesAsync([new FileRequest("x")], default));

        Assert.StartsWith(new Uri(_server.Root, "archive/data?").AbsoluteUri, file.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResolveFilesAsync_SoarWithTheRecordItReturned_IsOk()
    {
        var adapter = TapHarness.Adapter(_server, "profile: soar");
        var record = new DataRecord { Provider = "p", FileId = "solo_L2_x", DownloadUrl = "http://127.0.0.1/data?data_item_id=solo_L2_x" };

        var file = Assert.Single(await adapter.ResolveFilesAsync([new FileRequest("solo_L2_x", record)], default));

        Assert.Equal(FileStatus.Ok, file.Status);
        Assert.Null(file.Detail);
    }

    [Fact]
    public async Task ResolveFilesAsync_RecordWithUrl_UsesTheRecordsUrl()
    {
        var adapter = TapHarness.Adapter(_server, "profile: obscore");
        var record = new DataRecord { Provider = "p", FileId = "ivo://x?1", DownloadUrl = "http://127.0.0.1/x.fits", SizeKb = 2, ContentType = "image/fits" };

        var file = Assert.Single(await adapter.ResolveFilesAsync([new FileRequest("ivo://x?1", record)], default));

        Assert.Equal(new FileLocation("ivo://x?1", FileStatus.Ok, "http://127.0.0.1/x.fits", 2048, "image/fits"), file);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ResolveFilesAsync_ObsCoreIds_QueriesAccessUrlsThroughAdql()
    {
        _server.On("POST /tap/sync", Result(
            [Text("obs_publisher_did"), Text("access_url"), Long("access_estsize"), Text("access_format")],
            [["ivo://x?1", "http://127.0.0.1/1.fits", 3L, "image/fits"], ["ivo://x?2'", "http://127.0.0.1/2.fits", null, null]]));
        var adapter = TapHarness.Adapter(_server, "profile: obscore\nmode: sync");

        var files = await adapter.ResolveFilesAsync([new FileRequest("ivo://x?1"), new FileRequest("ivo://x?2'"), new FileRequest("ivo://gone")], default);

        Assert.Equal(new FileLocation("ivo://x?1", FileStatus.Ok, "http://127.0.0.1/1.fits", 3072, "image/fits"), files[0]);
        Assert.Equal(FileStatus.Ok, files[1].Status);
        Assert.Equal(FileStatus.NotFound, files[2].Status);
        var sent = AdqlParser.Parse(_server.Requests.Single()["QUERY"]!);
        var inExpr = Assert.IsType<InExpr>(sent.Where);
        Assert.Equal(["ivo://x?1", "ivo://x?2'", "ivo://gone"], inExpr.Values.Cast<StringLiteral>().Select(s => s.Value));
        Assert.Equal("ivoa.obscore", ((TableRef)sent.From[0]).Table.ToString());
    }

    [Fact]
    public async Task ResolveFilesAsync_EpnTapIds_QueriesByGranuleUid()
    {
        _server.On("POST /tap/sync", Result(
            [Text("granule_uid"), Text("access_url"), Long("access_estsize"), Text("access_format")], [["g1", "http://127.0.0.1/g1", 1L, "image/jpeg"]]));
        var adapter = TapHarness.Adapter(_server, "profile: epntap\nschema: bass2000\nmode: sync");

        var file = Assert.Single(await adapter.ResolveFilesAsync([new FileRequest("g1")], default));

        Assert.Equal("http://127.0.0.1/g1", file.Url);
        Assert.Equal(
            AdqlPrinter.Print(AdqlParser.Parse("SELECT granule_uid, access_url, access_estsize, access_format FROM bass2000.epn_core WHERE granule_uid IN ('g1')")),
            AdqlPrinter.Print(AdqlParser.Parse(_server.Requests.Single()["QUERY"]!)));
    }
}
