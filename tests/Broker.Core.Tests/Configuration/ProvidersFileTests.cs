using Broker.Core.Configuration;
using Broker.Core.Model;

namespace Broker.Core.Tests.Configuration;

public class ProvidersFileTests
{
    private const string Valid = """
        providers:
          soar:
            type: tap
            url: https://soar.esac.esa.int/soar-sl-tap/tap
            title: Solar Orbiter Archive
            capabilities:
              providers: [SOAR]
              instruments: [EUI, METIS]
              filters: [instrument, level, wave]
              coverageStart: 2020-02-10
            resilience:
              timeout: 20s
              retries: 2
              concurrency: 4
            cache:
              ttl: 10m
            options:
              profile: soar
          old:
            type: soap
            url: http://example.org/vsoi
            enabled: false
        """;

    [Fact]
    public void Parse_ValidFile_ReadsCommonSettings()
    {
        var configs = ProvidersFile.Parse(Valid, "p.yaml");
        var soar = configs[0];
        Assert.Equal("soar", soar.Id);
        Assert.Equal(TimeSpan.FromSeconds(20), soar.Resilience.Timeout);
        Assert.Equal(2, soar.Resilience.Retries);
        Assert.Equal(4, soar.Resilience.Concurrency);
        Assert.Equal(TimeSpan.FromMinutes(10), soar.Cache.Ttl);
        Assert.Equal(["EUI", "METIS"], soar.Capabilities.Instruments);
        Assert.Contains(QueryAttribute.Wave, soar.Capabilities.Filters);
        Assert.Equal(new DateTimeOffset(2020, 2, 10, 0, 0, 0, TimeSpan.Zero), soar.Capabilities.CoverageStart);
        Assert.Equal("soar", soar.Options.GetString("profile"));
        Assert.False(configs[1].Enabled);
    }

    [Fact]
    public void Parse_SeveralErrors_ListsEveryOneWithLineAndKey()
    {
        const string bad = """
            providers:
              a:
                type: tap
                url: not-a-url
                resilience:
                  timeout: soon
                  retires: 3
              b:
                url: http://x.org/tap
                colour: blue
            """;
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse(bad, "bad.yaml"));
        Assert.Contains(ex.Errors, e => e.Key == "providers.a.url" && e.Line == 4);
        Assert.Contains(ex.Errors, e => e.Key == "providers.a.resilience.timeout" && e.Line == 6);
        Assert.Contains(ex.Errors, e => e.Key == "providers.a.resilience.retires" && e.Message.Contains("unknown key"));
        Assert.Contains(ex.Errors, e => e.Key == "providers.b.type" && e.Message.Contains("required"));
        Assert.Contains(ex.Errors, e => e.Key == "providers.b.colour" && e.Line == 10);
        Assert.All(ex.Errors, e => Assert.Equal("bad.yaml", e.File));
    }

    [Fact]
    public void Parse_YamlSyntaxError_ReportsLine()
    {
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse("providers:\n  a: [unclosed\n", "s.yaml"));
        Assert.Contains("s.yaml", ex.Message);
    }

    [Fact]
    public void Parse_NoProvidersKey_IsAnError()
    {
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse("other: 1\n", "x.yaml"));
        Assert.Contains(ex.Errors, e => e.Key == "providers");
        Assert.Contains(ex.Errors, e => e.Key == "other");
    }

    [Fact]
    public void Parse_UnknownFilterAttribute_IsAnError()
    {
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse(
            "providers:\n  a:\n    type: tap\n    url: http://x.org/\n    capabilities:\n      filters: [colour]\n", "f.yaml"));
        Assert.Contains("unknown attribute 'colour'", ex.Message);
    }

    [Theory]
    [InlineData("retries: 99", "must be a whole number from 0 to 10")]
    [InlineData("retries: two", "must be a whole number from 0 to 10")]
    [InlineData("breakerFailureRatio: 2", "must be a number from 0.01 to 1")]
    public void Parse_NumberOutOfRange_SaysTheRange(string setting, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse(
            $"providers:\n  a:\n    type: tap\n    url: http://x.org/\n    resilience:\n      {setting}\n", "n.yaml"));
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5", 1_500)]
    public void TryParseDuration_Forms(string text, double ms)
    {
        Assert.True(ConfigSection.TryParseDuration(text, out var d));
        Assert.Equal(ms, d.TotalMilliseconds);
    }
}
