using Broker.Core.Providers;
using Broker.Providers.Tap.Tests.Fakes;
using static Broker.Providers.Tap.Tests.Fakes.Tables;

namespace Broker.Providers.Tap.Tests.Protocol;

/// <summary>An answer the broker cannot understand is an error naming what was wrong, never an empty answer.</summary>
public sealed class UnreadableAnswerTests : IAsyncLifetime
{
    private FakeTapServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeTapServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Columns(string key) =>
        $"\"{key}\":[" + string.Join(",", SoarItemFields.Select(f => $"{{\"name\":\"{f.Name}\",\"datatype\":\"{(f.Datatype == "long" ? "long" : "char")}\"" +
            (f.Datatype == "char" ? ",\"arraysize\":\"*\"" : "") + "}")) + "]";

    private const string Row = "[\"a\",\"MAG\",\"mag-rtn-normal\",\"L2\",\"2022-01-01T00:00:00\",\"2022-01-01T01:00:00\",2048,\"a.cdf\",null,null]";

    private Task<ProviderAnswer> SearchAsync(string json)
    {
        _server.On("POST /tap/sync", CountingOr(Answer.Text(200, json, "application/json"), 7));
        return TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync\nformat: json").SearchAsync(TapHarness.Jan1, 100, default);
    }

    [Fact]
    public async Task SearchAsync_DaliJsonAsDachsSendsIt_IsRead()
    {
        var answer = await SearchAsync("{\"contains\":\"table\"," + Columns("columns") + ",\"data\":[" + Row + "],\"queryStatus\":\"Overflow\"}");

        var record = Assert.Single(answer.Records);
        Assert.Equal("a", record.FileId);
        Assert.Equal(2.0, record.SizeKb);
        Assert.True(answer.Truncated);
        Assert.Equal(7, answer.TotalAvailable);
    }

    [Fact]
    public async Task SearchAsync_EsacJson_IsRead()
    {
        var answer = await SearchAsync("{" + Columns("metadata") + ",\"data\":[" + Row + "]}");

        Assert.Equal("a", Assert.Single(answer.Records).FileId);
    }

    [Theory]
    [InlineData("{\"rows\":[[1,2]]}", "neither 'metadata' nor 'columns'")]
    [InlineData("{\"data\":[[\"a\",\"MAG\"]]}", "without column descriptions")]
    [InlineData("[1,2,3]", "JSON")]
    public async Task SearchAsync_UnknownJsonShape_IsAnErrorNamingWhatIsMissing(string json, string expected)
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => SearchAsync(json));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_AnswerWithoutSelectedColumns_IsAnErrorNamingThem()
    {
        _server.On("POST /tap/sync", Result([Text("data_item_id"), Text("instrument")], [["a", "MAG"]]));

        var ex = await Assert.ThrowsAsync<ProviderException>(() =>
            TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync").SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains("lacks columns descriptor, level, begin_time", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yesterday", "2022-01-01T01:00:00", 2048L, "column begin_time: 'yesterday' is not a time")]
    [InlineData("2022-01-01T00:00:00", "2022-01-01T01:00:00", "big", "column filesize: 'big' is not a number")]
    public async Task SearchAsync_UnparsableValue_IsAnErrorNamingColumnAndRow(string begin, string end, object size, string expected)
    {
        var fields = SoarItemFields.Select(f => f.Name == "filesize" ? Text("filesize") : f).ToList();
        _server.On("POST /tap/sync", Result(fields,
        [
            ["ok", "MAG", "mag", "L2", "2022-01-01T00:00:00", "2022-01-01T01:00:00", "1", null, null, null],
            ["bad", "MAG", "mag", "L2", begin, end, size.ToString(), null, null, null],
        ], Broker.VoTable.TableFormat.Csv));

        var ex = await Assert.ThrowsAsync<ProviderException>(() =>
            TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync\nformat: csv").SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains("row 2: " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_RowWithoutId_IsAnError()
    {
        _server.On("POST /tap/sync", Result(SoarItemFields, [[null, "MAG", "mag", "L2", "2022-01-01T00:00:00", "2022-01-01T01:00:00", 1L, null, null, null]]));

        var ex = await Assert.ThrowsAsync<ProviderException>(() =>
            TapHarness.Adapter(_server, "profile: soar\ninstrumentTables: {}\nmode: sync").SearchAsync(TapHarness.Jan1, 100, default));

        Assert.Contains("column data_item_id is empty", ex.Message, StringComparison.Ordinal);
    }
}
