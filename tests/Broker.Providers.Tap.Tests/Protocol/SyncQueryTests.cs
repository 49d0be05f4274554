using Broker.Core.Providers;
using Broker.Providers.Tap.Tests.Fakes;
using static Broker.Providers.Tap.Tests.Fakes.Tables;

namespace Broker.Providers.Tap.Tests.Protocol;

public sealed class SyncQueryTests : IAsyncLifetime
{
    private FakeTapServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTapServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SearchAsync_OverflowStatus_MarksTheAnswerTruncated()
    {
        _server.On("POST /tap/sync", CountingOr(SoarItems(["a", "b"], overflow: true), 61_773));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 2, default);

        Assert.True(answer.Truncated);
        Assert.Equal(2, answer.Records.Count);
        Assert.Equal("2", _server.Requests[0]["MAXREC"]);
        // A cut answer is sized with COUNT(*) over the same WHERE clause (no ORDER BY).
        Assert.Equal((61_773L, true), (answer.TotalAvailable!.Value, answer.TotalExact));
        var count = Broker.Adql.AdqlParser.Parse(_server.Requests[1]["QUERY"]!);
        var first = Broker.Adql.AdqlParser.Parse(_server.Requests[0]["QUERY"]!);
        Assert.Equal(first.Where, count.Where);
        Assert.Empty(count.OrderBy);
        Assert.NotEmpty(first.OrderBy);
    }

    [Fact]
    public async Task SearchAsync_CompleteResult_IsNotTruncated()
    {
        _server.On("POST /tap/sync", SoarItems(["a"]));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        Assert.False((await adapter.SearchAsync(TapHarness.Jan1, 2, default)).Truncated);
    }

    [Fact]
    public async Task SearchAsync_ServiceIgnoringMaxrec_IsCutAndTruncated()
    {
        _server.On("POST /tap/sync", CountingOr(SoarItems(Enumerable.Range(0, 10).Select(i => "f" + i)), 10));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var answer = await adapter.SearchAsync(TapHarness.Jan1, 3, default);

        Assert.Equal(3, answer.Records.Count);
        Assert.True(answer.Truncated);
        Assert.Equal(10, answer.TotalAvailable);
    }

    [Fact]
    public async Task CountAsync_SendsCountStarWithTheSearchConditions()
    {
        _server.On("POST /tap/sync", CountingOr(SoarItems(["a"]), 42));
        var adapter = (Broker.Core.Providers.IProviderCounter)TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var count = await adapter.CountAsync(TapHarness.Jan1 with { Instrument = "MAG" }, default);

        Assert.Equal(42, count);
        var sent = Assert.Single(_server.Requests);
        Assert.StartsWith("SELECT COUNT(*) AS n FROM soar.v_sc_data_item WHERE ", sent["QUERY"], StringComparison.Ordinal);
        Assert.Contains("instrument = 'MAG'", sent["QUERY"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_QueryStatusError_ThrowsWithTheServersMessage()
    {
        _server.On("POST /tap/sync", Error("Unknown column 'is_active'"));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 10, default));

        Assert.Contains("Unknown column 'is_active'", ex.Message, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task SearchAsync_Http400WithErrorDocument_IsPermanentWithTheMessage()
    {
        _server.On("POST /tap/sync", Error("syntax error near FROM", status: 400));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 10, default));

        Assert.False(ex.IsTransient);
        Assert.Contains("HTTP 400", ex.Message, StringComparison.Ordinal);
        Assert.Contains("syntax error near FROM", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_HtmlErrorPageWithStackTrace_ShowsOneLineWithoutMarkup()
    {
        var page = "<html><head><title>Internal Server Error</title></head>\n<body><h1>Traceback</h1>\n<pre>" +
            string.Concat(Enumerable.Repeat("  File \"/srv/app.py\", line 12, in handler\n", 40)) + "</pre></body></html>";
        _server.On("POST /tap/sync", Answer.Text(500, page, "text/html"));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 10, default));

        Assert.EndsWith("HTTP 500 Internal Server Error: Internal Server Error", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('<', ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SearchAsync_Http5xx_IsTransient(int status)
    {
        _server.On("POST /tap/sync", Answer.Text(status, "<html><body><h1>Proxy error</h1></body></html>", "text/html"));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 10, default));

        Assert.True(ex.IsTransient);
        Assert.Contains($"HTTP {status}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Proxy error", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("<h1>", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<VOTABLE><RESOURCE><TABLE><FIELD name=\"a\" datatype=\"char\" arraysize=\"*\"/><DATA><TABLEDATA><TR><TD>x</TD>", "application/x-votable+xml")]
    [InlineData("<html>not a table</html>", "application/x-votable+xml")]
    [InlineData("\u0001\u0002garbage", "application/x-votable+xml")]
    public async Task SearchAsync_MalformedBody_ThrowsMalformedVoTable(string body, string contentType)
    {
        _server.On("POST /tap/sync", Answer.Text(200, body, contentType));
        var adapter = TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 10, default));

        Assert.StartsWith("malformed VOTable from p: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_ProviderDown_IsTransient()
    {
        var url = _server.TapUrl;
        await _server.DisposeAsync();
        var adapter = TapHarness.Adapter(TapHarness.Yaml("p", url, "profile: soar\ninstrumentTables: {}\nmode: sync"));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => adapter.SearchAsync(TapHarness.Jan1, 10, default));

        Assert.True(ex.IsTransient);
        _server = await FakeTapServer.StartAsync();
    }
}
