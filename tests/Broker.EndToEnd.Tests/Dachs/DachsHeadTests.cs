using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// HEAD sizes a query with COUNT(*) instead of fetching it (issue 9 item 3): on the whole ~60,000-row SOAR-like table
/// its count equals DaCHS's own, as does the GET's exact total of the same (cut) search. The broker's own search times
/// (its Server-Timing header) are printed for scripts/bench-head-vs-get.sh, never asserted.
/// </summary>
[Collection(DachsCollection.Name)]
[Trait("Category", "Dachs")]
public sealed class DachsHeadTests(DachsFixture f, ITestOutputHelper output)
{
    private const string Query = "start=2023-01-01T00:00:00Z&end=2023-07-01T00:00:00Z&providers=soar-sync&limit=100000";

    [Fact]
    public async Task Head_OnTheWholeSoarLikeTable_CountsWhatDachsCounts_AsGetsExactTotalDoes()
    {
        var expected = await f.ReferenceCountAsync(
            "SELECT COUNT(*) FROM brokertest.soar_data WHERE begin_time < '2023-07-01T00:00:00' AND " +
            "(end_time > '2023-01-01T00:00:00' OR (begin_time = end_time AND begin_time >= '2023-01-01T00:00:00')) AND is_active = 'True'");
        Assert.True(expected > 50_000, $"the table should hold about 60,000 active rows, DaCHS counts {expected}");

        for (var run = 0; run < 3; run++)
        {
            using var headRequest = new HttpRequestMessage(HttpMethod.Head, "/api/v1/search?" + Query);
            using var headResponse = await f.Broker.Http.SendAsync(headRequest);
            Assert.True(headResponse.IsSuccessStatusCode, $"HEAD: {(int)headResponse.StatusCode}");
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), headResponse.Headers.GetValues("VSO-Count-Records").Single());
            Assert.Equal("true", headResponse.Headers.GetValues("VSO-Count-Exact").Single());

            using var getResponse = await f.Broker.Http.GetAsync("/api/v1/search?" + Query);
            var text = await getResponse.Content.ReadAsStringAsync();
            Assert.True(getResponse.IsSuccessStatusCode, $"GET: {(int)getResponse.StatusCode} {text[..Math.Min(500, text.Length)]}");
            var answer = JsonDocument.Parse(text).RootElement;
            Assert.Equal(expected, answer.GetProperty("total").GetInt64());
            Assert.True(answer.GetProperty("totalExact").GetBoolean());
            var returned = answer.GetProperty("returned").GetInt32();
            // A cut answer says what share it returns (VAMDC), from the exact count.
            Assert.Equal(Math.Round(100.0 * returned / expected, 2), answer.GetProperty("truncatedPercent").GetDouble());
            Assert.Equal(returned.ToString(CultureInfo.InvariantCulture), headResponse.Headers.GetValues("VSO-Count-Returned").Single());

            Assert.StartsWith("search;dur=", ServerTiming(headResponse));
            Assert.StartsWith("search;dur=", ServerTiming(getResponse));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"head-vs-get run={run} rows={expected} returned={returned} head[{ServerTiming(headResponse)}] get[{ServerTiming(getResponse)}]"));
        }
    }

    private static string ServerTiming(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(",", values) : "none";
}
