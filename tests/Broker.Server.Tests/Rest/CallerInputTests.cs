using System.Net;
using System.Text;
using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.Rest;

/// <summary>A caller's bad input is that caller's 400 and never harms other users (issue 10, item 1).</summary>
public class CallerInputTests
{
    private const string Yaml = """
        providers:
          soar:
            type: scripted
            url: http://127.0.0.1:9/soar
            resilience:
              timeout: 1s
              retries: 0
              breakerMinimumThroughput: 2
              breakerFailureRatio: 0.5
        """;

    [Theory]
    [InlineData("""{"fileIds":[null]}""", "fileIds[0]")]
    [InlineData("""{"files":[{"provider":"soar","fileIds":[null]}]}""", "fileIds[0]")]
    [InlineData("""{"files":[{"provider":"soar","fileIds":["ok",""]}]}""", "fileIds[1]")]
    [InlineData("""{"fileIds":["a","\u0000"]}""", "fileIds[1]")]
    public async Task GetData_RepeatedInvalidIds_Are400AndLeaveTheCircuitClosedForOthers(string body, string field)
    {
        await using var broker = TestBroker.Start(Yaml);
        broker.Providers["soar"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("soar", 2));

        for (var i = 0; i < 10; i++)
        {
            using var response = await broker.Http.PostAsync("/api/v1/getdata", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
            Assert.DoesNotContain("Parameter", problem.GetProperty("detail").GetString());
        }

        var other = await SearchApiTests.GetJson(broker, "/api/v1/search?start=2022-03-21&end=2022-03-22");
        Assert.Equal("ok", other.GetProperty("providers")[0].GetProperty("status").GetString());
        var state = (await SearchApiTests.GetJson(broker, "/api/v1/providers")).GetProperty("providers")[0];
        Assert.Equal("closed", state.GetProperty("circuit").GetString());
        Assert.Equal(0, state.GetProperty("failures").GetInt32());
    }

    [Fact]
    public async Task GetData_MoreThanTheIdCap_IsRefusedBeforeTheSessionLookup()
    {
        var lookup = new CountingLookup();
        await using var broker = TestBroker.Start(Yaml, b => b.Services.AddSingleton<IRecordLookup>(lookup));
        using var session = await broker.Http.PostAsync("/api/v1/sessions", null);
        var ids = string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"\"f{i}\""));

        using var response = await broker.Http.PostAsync("/api/v1/getdata",
            new StringContent($$"""{"fileIds":[{{ids}}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 10000", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, lookup.Calls);
    }

    private sealed class CountingLookup : IRecordLookup
    {
        public int Calls;

        public Task<IReadOnlyDictionary<string, DataRecord>> FindAsync(string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return Task.FromResult<IReadOnlyDictionary<string, DataRecord>>(new Dictionary<string, DataRecord>());
        }
    }
}
