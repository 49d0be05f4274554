using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Core.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Providers.Tap.Tests.Fakes;

/// <summary>Builds TAP providers from providers.yaml text through the real parser, registry and factory.</summary>
public static class TapHarness
{
    public static readonly QueryBlock Jan1 = new()
    {
        Time = new TimeRange(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2022, 1, 2, 0, 0, 0, TimeSpan.Zero)),
    };

    /// <summary>One provider entry <paramref name="id"/> pointing at <paramref name="url"/> with the given options lines.</summary>
    public static string Yaml(string id, Uri url, string optionsYaml, string extra = "") =>
        $"""
        providers:
          {id}:
            type: tap
            url: {url}
        {Indent(extra, 4)}
            options:
        {Indent(optionsYaml, 6)}
        """;

    public static ProviderRegistry Registry(string yaml, IProviderMetadataStore? store = null, HttpClient? http = null)
    {
        var configs = ProvidersFile.Parse(yaml, "providers.yaml");
        var client = http ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var context = new ProviderFactoryContext(_ => client, TimeProvider.System, NullLoggerFactory.Instance);
        return ProviderRegistry.Build(configs, [new TapProviderFactory(store)], context);
    }

    public static IProviderAdapter Adapter(string yaml, IProviderMetadataStore? store = null, HttpClient? http = null) =>
        Registry(yaml, store, http).All[0].Adapter;

    public static IProviderAdapter Adapter(FakeTapServer server, string optionsYaml, IProviderMetadataStore? store = null) =>
        Adapter(Yaml("p", server.TapUrl, optionsYaml), store);

    private static string Indent(string text, int spaces)
    {
        var pad = new string(' ', spaces);
        return string.Join("\n", text.Split('\n').Where(l => l.Trim().Length > 0).Select(l => pad + l.Trim('\r')));
    }
}
