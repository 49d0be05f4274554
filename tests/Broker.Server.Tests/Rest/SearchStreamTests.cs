using System.Net;
using System.Text;
using System.Text.Json;
using Broker.Core.Providers;

namespace Broker.Server.Tests.Rest;

/// <summary>The streamed search (Server-Sent Events) over a real broker: plan, provider events as each finishes, summary.</summary>
public class SearchStreamTests
{
    private const string Day = "start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z";

    [Fact]
    public async Task Stream_FastProviderEventArrivesWhileTheSlowOneIsStillWorking_SummaryEqualsThePlainSearch()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia", "swap").Replace("timeout: 1s", "timeout: 60s"));
        var slowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3, "SHARED"));
        broker.Providers["swap"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("swap", 2, "SHARED"));
        broker.Providers["aia"].Behaviour = async ct =>
        {
            await slowGate.Task.WaitAsync(ct);
            return ScriptedAdapter.Records("aia", 4, "SHARED");
        };

        await using var stream = await SseStream.OpenAsync(broker.Http, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/search/stream?{Day}&instrument=SHARED"));
        Assert.Equal("text/event-stream", stream.ContentType);

        var plan = await stream.NextAsync();
        Assert.Equal("plan", plan.Name);
        var queryId = plan.Data.GetProperty("queryId").GetString();
        Assert.Equal(["aia", "eui", "swap"], plan.Data.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
        Assert.All(plan.Data.GetProperty("providers").EnumerateArray(), p => Assert.Equal("pending", p.GetProperty("status").GetString()));

        // Both fast providers report while the slow one cannot have finished: its gate is still closed.
        var early = new[] { await stream.NextAsync(), await stream.NextAsync() };
        Assert.False(slowGate.Task.IsCompleted);
        Assert.All(early, e => Assert.Equal("provider", e.Name));
        var eui = early.Single(e => e.Data.GetProperty("id").GetString() == "eui").Data;
        Assert.Equal("ok", eui.GetProperty("status").GetString());
        Assert.Equal(["eui-0000", "eui-0001", "eui-0002"], RecordsOf(eui));

        slowGate.SetResult();
        var slow = await stream.NextAsync();
        Assert.Equal("provider", slow.Name);
        Assert.Equal("aia", slow.Data.GetProperty("id").GetString());
        var summary = await stream.NextAsync();
        Assert.Equal("summary", summary.Name);
        Assert.Null(await stream.NextOrEndAsync());

        var plain = await SearchApiTests.GetJson(broker, $"/api/v1/search?{Day}&instrument=SHARED");
        Assert.False(summary.Data.TryGetProperty("records", out _));
        Assert.Equal(queryId, summary.Data.GetProperty("queryId").GetString());
        Assert.Equal(plain.GetProperty("total").GetInt32(), summary.Data.GetProperty("total").GetInt32());
        Assert.Equal(plain.GetProperty("returned").GetInt32(), summary.Data.GetProperty("returned").GetInt32());
        Assert.Equal(Statuses(plain), Statuses(summary.Data));
        var streamed = early.Append(slow).SelectMany(e => RecordsOf(e.Data)).Order().ToList();
        Assert.Equal(plain.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString()!).Order(), streamed);

        // The merged records are pageable in the same session right after the summary, in the plain search's order.
        var page = await SearchApiTests.GetJson(broker, $"/api/v1/queries/{queryId}/records?limit=100");
        Assert.Equal(plain.GetProperty("records").EnumerateArray().Select(r => r.GetRawText()), page.GetProperty("records").EnumerateArray().Select(r => r.GetRawText()));
    }

    [Fact]
    public async Task StreamPost_TwoBlocks_OneProviderEventPerProvider_SkippedProvidersInThePlan()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3, "EUI"));
        broker.Providers["aia"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("aia", 2, "SHARED"));
        const string body = """{"blocks":[{"start":"2022-03-21","end":"2022-03-22","instrument":"EUI"},{"start":"2022-03-21","end":"2022-03-22","instrument":"SHARED"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/search/stream") { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        await using var stream = await SseStream.OpenAsync(broker.Http, request);
        var events = new List<SseEvent>();
        while (await stream.NextOrEndAsync() is { } e) events.Add(e);

        Assert.Equal(["plan", "provider", "provider", "summary"], events.Select(e => e.Name));
        var providers = events.Where(e => e.Name == "provider").ToDictionary(e => e.Data.GetProperty("id").GetString()!, e => e.Data);
        Assert.Equal(3, RecordsOf(providers["eui"]).Count); // both blocks ask eui: one event, its records once
        Assert.Equal(5, events[^1].Data.GetProperty("total").GetInt32());
        Assert.Equal(1, broker.Providers["aia"].Calls);
    }

    [Fact]
    public async Task Stream_PlanListsSkippedProvidersWithTheirReason()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"));
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 1, "EUI"));

        await using var stream = await SseStream.OpenAsync(broker.Http, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/search/stream?{Day}&instrument=EUI"));
        var plan = await stream.NextAsync();

        var aia = plan.Data.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "aia");
        Assert.Equal("skipped", aia.GetProperty("status").GetString());
        Assert.Contains("EUI", aia.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("start=2022-03-23&end=2022-03-21")] // start after end
    [InlineData("start=2022-03-21&end=2022-03-22&waveunit=parsec&wavemin=1&wavemax=2")]
    [InlineData("start=2022-03-21&end=2022-03-22&instrument=NOBODY")] // no provider can answer
    public async Task Stream_InvalidInput_IsTheSame400ProblemAsThePlainSearch(string query)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        using var streamed = await broker.Http.GetAsync($"/api/v1/search/stream?{query}");
        using var plain = await broker.Http.GetAsync($"/api/v1/search?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, streamed.StatusCode);
        Assert.Equal("application/problem+json", streamed.Content.Headers.ContentType?.MediaType);
        var a = JsonDocument.Parse(await streamed.Content.ReadAsStringAsync()).RootElement;
        var b = JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(b.GetProperty("title").GetString(), a.GetProperty("title").GetString());
        Assert.Equal(b.GetProperty("detail").GetString(), a.GetProperty("detail").GetString());
    }

    private static List<string> RecordsOf(JsonElement providerEvent) =>
        providerEvent.GetProperty("records").ValueKind == JsonValueKind.Array
            ? providerEvent.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("fileId").GetString()!).ToList()
            : [];

    private static Dictionary<string, string?> Statuses(JsonElement doc) =>
        doc.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.GetProperty("status").GetString());
}

/// <summary>One server-sent event: its name and its JSON data.</summary>
internal sealed record SseEvent(string Name, JsonElement Data);

/// <summary>A minimal event-stream reader (event/data lines, blank line ends an event, ':' lines are comments).</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private SseStream(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;
    /// <summary>The content codings the answer was sent with (the reader decodes br and gzip itself).</summary>
    public IReadOnlyList<string> ContentEncoding => [.. _response.Content.Headers.ContentEncoding];
    public List<string> Comments { get; } = [];

    public static async Task<SseStream> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStreamAsync();
        body = response.Content.Headers.ContentEncoding.LastOrDefault() switch
        {
            "br" => new System.IO.Compression.BrotliStream(body, System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(body, System.IO.Compression.CompressionMode.Decompress),
            _ => body,
        };
        return new SseStream(response, new StreamReader(body, Encoding.UTF8));
    }

    public async Task<SseEvent> NextAsync() => await NextOrEndAsync() ?? throw new InvalidOperationException("the stream ended");

    public async Task<SseEvent?> NextOrEndAsync()
    {
        string? name = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is null && data.Length == 0) continue;
                return new SseEvent(name ?? "message", JsonDocument.Parse(data.ToString()).RootElement);
            }
            if (line.StartsWith(':')) Comments.Add(line);
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line["data: ".Length..]);
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
