using System.IO.Pipelines;
using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Server.Rest;

namespace Broker.Server.Tests.Rest;

public class SearchResultJsonTests
{
    private static readonly DateTimeOffset T0 = new(2022, 3, 21, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WriteAsync_RecordsRenderedAheadOrAtTheEnd_IsTheSameJsonAsAPlainWriter()
    {
        var outcomes = Enumerable.Range(0, 3).Select(p => new ProviderOutcome
        {
            ProviderId = $"p{p}", Status = ProviderStatus.Ok,
            Records = Enumerable.Range(0, 50).Select(i => new DataRecord
            {
                Provider = $"p{p}", FileId = $"f{i}&x=\"q\"\u00e9", Instrument = i % 2 == 0 ? "EUI" : null, Start = T0.AddMinutes(i * 7 + p),
                End = T0.AddMinutes(i * 7 + p + 1), WaveMin = 171.5, WaveMax = 185, SizeKb = i, Extent = new Extent(Type: "FULLDISK"),
                DownloadUrl = $"http://127.0.0.1/d?a=1&id={i}",
            }).ToList(),
        }).ToList();
        var (records, total, truncated) = ResultMerger.Merge(outcomes, 120);
        var result = new SearchResult
        {
            QueryId = "q", CreatedAt = T0, Query = new NormalizedQuery([]), Records = records, Providers = outcomes, Total = total, Truncated = truncated,
        };
        var rendered = new RecordJson();
        foreach (var o in outcomes.Take(2)) rendered.Add(o); // the third provider is rendered at the end

        var fast = new MemoryStream();
        await SearchResultJson.WriteAsync(PipeWriter.Create(fast), result, rendered, CancellationToken.None);
        var again = new MemoryStream();
        await SearchResultJson.WriteAsync(PipeWriter.Create(again), result, null, CancellationToken.None);

        // The reference: every record written by the plain writer, in one document.
        var plain = new MemoryStream();
        await using (var w = new Utf8JsonWriter(plain, SearchResultJson.WriterOptions))
        {
            w.WriteStartArray();
            foreach (var r in records) SearchResultJson.WriteRecord(w, r);
            w.WriteEndArray();
        }
        using var doc0 = JsonDocument.Parse(fast.ToArray());
        Assert.Equal(System.Text.Encoding.UTF8.GetString(plain.ToArray()), doc0.RootElement.GetProperty("records").GetRawText());
        Assert.Equal(fast.ToArray(), again.ToArray());
        using var doc = JsonDocument.Parse(fast.ToArray());
        Assert.Equal(120, doc.RootElement.GetProperty("records").GetArrayLength());
        Assert.Equal("f0&x=\"q\"\u00e9", doc.RootElement.GetProperty("records")[0].GetProperty("fileId").GetString());
    }
}
