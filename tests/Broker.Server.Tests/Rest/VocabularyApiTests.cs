using System.Net;

namespace Broker.Server.Tests.Rest;

/// <summary>GET /api/v1/vocabulary: each value once, in VSO spelling, with the providers offering it (issue 9 item 5).</summary>
public class VocabularyApiTests
{
    private const string Yaml = """
        providers:
          soar:
            type: scripted
            url: http://127.0.0.1:9/soar
            capabilities:
              providers: [SOAR]
              sources: [SOLO]
              instruments: [EUI, PHI]
              detectors: [FSI, HRI_EUV]
              levels: [L1, L2]
          other:
            type: scripted
            url: http://127.0.0.1:9/other
            capabilities:
              sources: [Solar Orbiter, Sol. Orb.]
              instruments: [EUI]
              physobs: [INTENSITY]
              levels: ["2"]
              aliases:
                source: { SOLO: Sol. Orb. }
        """;

    [Fact]
    public async Task Vocabulary_ListsEachVsoValueOnceWithItsProviders()
    {
        await using var broker = TestBroker.Start(Yaml);

        var response = await broker.Http.GetAsync("/api/v1/vocabulary");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        var attributes = (await SearchApiTests.GetJson(broker, "/api/v1/vocabulary")).GetProperty("attributes");
        Assert.Equal(["provider", "source", "instrument", "detector", "physobs", "level"], attributes.EnumerateObject().Select(p => p.Name));
        string Of(string attribute) => string.Join("; ", attributes.GetProperty(attribute).EnumerateArray().Select(v =>
            v.GetProperty("value").GetString() + "=" + string.Join(",", v.GetProperty("providers").EnumerateArray().Select(p => p.GetString()))));
        Assert.Equal("SOAR=soar", Of("provider"));
        // "Solar Orbiter" (a known synonym) and "Sol. Orb." (the provider's alias) are both SOLO.
        Assert.Equal("SOLO=other,soar", Of("source"));
        Assert.Equal("EUI=other,soar; PHI=soar", Of("instrument"));
        Assert.Equal("FSI=soar; HRI_EUV=soar", Of("detector"));
        Assert.Equal("intensity=other", Of("physobs"));
        Assert.Equal("1=soar; 2=other,soar", Of("level"));
    }

    [Fact]
    public async Task Vocabulary_IsInTheOpenApiDocument()
    {
        await using var broker = TestBroker.Start(Yaml);

        var paths = (await SearchApiTests.GetJson(broker, "/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/v1/vocabulary", out var path), "no /api/v1/vocabulary in the OpenAPI document");
        Assert.False(string.IsNullOrEmpty(path.GetProperty("get").GetProperty("summary").GetString()));
    }
}
