using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Validation;
using Broker.Core.Tests.Search;
using static Broker.Core.Tests.Search.EngineHarness;

namespace Broker.Core.Tests.Model;

/// <summary>Issue 9 item 5: one vocabulary — values in the VSO registry's spelling wherever they come from, provider aliases from providers.yaml.</summary>
public sealed class VocabularyTests
{
    private static readonly ValueAliases SoloAsSolarOrbiter = new(new Dictionary<QueryAttribute, IReadOnlyDictionary<string, string>>
    {
        [QueryAttribute.Source] = new Dictionary<string, string> { ["SOLO"] = "Sol. Orbiter" },
    });

    [Theory]
    [InlineData(QueryAttribute.Source, "Solar Orbiter", "SOLO")]
    [InlineData(QueryAttribute.Source, " solar orbiter ", "SOLO")]
    [InlineData(QueryAttribute.Source, "solo", "SOLO")]
    [InlineData(QueryAttribute.Source, "Solar Dynamics Observatory", "SDO")]
    [InlineData(QueryAttribute.Source, "Unknown Mission", "Unknown Mission")]
    [InlineData(QueryAttribute.Physobs, "los_magnetic_field", "LOS_magnetic_field")]
    [InlineData(QueryAttribute.Level, "L2", "2")]
    [InlineData(QueryAttribute.Level, "l1.5", "1.5")]
    [InlineData(QueryAttribute.Level, "LL02", "LL02")]
    [InlineData(QueryAttribute.Level, "2", "2")]
    [InlineData(QueryAttribute.Instrument, " EUI ", "EUI")]
    public void Normalize_KnownSpellings_BecomeVsoSpelling(QueryAttribute attribute, string value, string expected)
    {
        Assert.Equal(expected, Vocabulary.Normalize(attribute, value));
    }

    [Fact]
    public void Normalize_ProviderAlias_BecomesItsVsoValue_AndSpellingsAskWithIt()
    {
        Assert.Equal("SOLO", Vocabulary.Normalize(QueryAttribute.Source, "Sol. Orbiter", SoloAsSolarOrbiter));
        Assert.Equal(["SOLO", "Solar Orbiter", "Solar-Orbiter", "SolarOrbiter", "Sol. Orbiter"],
            Vocabulary.Spellings(QueryAttribute.Source, "solar orbiter", SoloAsSolarOrbiter));
    }

    [Fact]
    public void QueryNormalizer_SourceAndLevel_AreInVsoSpelling()
    {
        var q = new QueryNormalizer(new QueryLimits()).Normalize([new QueryBlockInput
        {
            Start = "2023-03-10T00:00:00Z", End = "2023-03-11T00:00:00Z", Source = "Solar Orbiter", Level = "L2", Physobs = "INTENSITY",
        }]);

        Assert.Equal("SOLO", q.Blocks[0].Source);
        Assert.Equal("2", q.Blocks[0].Level);
        Assert.Equal("intensity", q.Blocks[0].Physobs);
    }

    [Fact]
    public void ProvidersFile_Aliases_AreRead_AndTheirSpellingCountsForThePlanner()
    {
        var config = ProvidersFile.Parse(Yaml(Entry("other",
            "    capabilities:\n      sources: [Sol. Orbiter]\n      levels: [L1, L2]\n      aliases:\n        source: { SOLO: Sol. Orbiter }\n")), "providers.yaml")[0];

        Assert.Equal("Sol. Orbiter", config.Capabilities.Aliases.ProviderSpelling(QueryAttribute.Source, "solo"));
        Assert.Equal(["L1", "L2"], config.Capabilities.Levels);
        var block = new QueryBlock { Time = new TimeRange(T0, T0.AddDays(1)), Source = "SOLO" };
        Assert.Null(QueryPlanner.WhyNot("other", config.Capabilities, block, out _));
        Assert.NotNull(QueryPlanner.WhyNot("other", config.Capabilities, block with { Source = "SDO" }, out _));
    }

    [Fact]
    public void ProvidersFile_AliasesForAnUnknownAttribute_IsAnError()
    {
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse(Yaml(Entry("x",
            "    capabilities:\n      aliases:\n        colour: { red: rot }\n")), "providers.yaml"));

        Assert.Contains("colour", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_RecordsInAProvidersSpelling_AreReturnedInVsoSpelling_AndMatchTheFilter()
    {
        var h = new EngineHarness(Yaml(Entry("other", "    capabilities:\n      aliases:\n        source: { SOLO: Sol. Orbiter }\n")));
        h["other"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([
            FakeAdapter.Record("other", "a", T0) with { Source = "Sol. Orbiter" },
            FakeAdapter.Record("other", "b", T0) with { Source = "Solar Orbiter" },
        ]));

        var result = await h.Engine.SearchAsync(new SearchRequest
        {
            Query = NormalizedQuery.Single(new QueryBlock { Time = new TimeRange(T0, T0.AddDays(1)), Source = "SOLO" }),
        }, default);

        Assert.Equal(["SOLO", "SOLO"], result.Records.Select(r => r.Source));
        Assert.Equal(0, result.Providers.Single().Rejected);
    }

    [Theory]
    [InlineData("L2", "2")]
    [InlineData("2", "2")]
    [InlineData("l1.5", "1.5")]
    [InlineData("LL02", "LL02")]
    public void Normalize_Record_CarriesTheLevelInVsoSpelling(string providerLevel, string expected)
    {
        var record = new DataRecord { Provider = "soar", FileId = "f", Level = providerLevel };
        Assert.Equal(expected, Vocabulary.Normalize(record).Level);
    }
}
