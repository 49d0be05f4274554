using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;

namespace Broker.Server.Rest;

/// <summary>
/// <c>GET /api/v1/vocabulary</c>: the values each attribute accepts, in the VSO registry's spelling, each once with the
/// providers that offer it — what VSO's registry tells its clients, built from the live registry's capabilities
/// through the one <see cref="Vocabulary"/> (so a provider's "Solar Orbiter" is listed as SOLO). Coverage dates stay in
/// <c>/api/v1/providers</c>.
/// </summary>
public static class VocabularyApi
{
    public static IEndpointRouteBuilder MapVocabularyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/vocabulary", (IProviderCatalog catalog) => Results.Ok(Build(catalog.Current.All)))
            .WithTags("Providers")
            .WithName("vocabulary")
            .WithSummary("Accepted values per attribute (provider, source, instrument, detector, physobs, level), each with the providers offering it")
            .WithDescription("Values are in the VSO registry's spelling; a provider's own spellings (providers.yaml aliases, known synonyms) " +
                             "are normalized to it. A provider that declares no values for an attribute accepts any and is not listed under it.")
            .Produces<VocabularyView>();
        return app;
    }

    /// <summary>The vocabulary of a set of providers.</summary>
    public static VocabularyView Build(IEnumerable<ProviderRuntime> providers)
    {
        var list = providers.ToList();
        var attributes = new Dictionary<string, IReadOnlyList<VocabularyValue>>(StringComparer.Ordinal);
        foreach (var attribute in Vocabulary.Attributes)
        {
            var byValue = new SortedDictionary<string, SortedSet<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in list)
            {
                var caps = p.Capabilities;
                foreach (var value in Declared(caps, attribute))
                {
                    var vso = Vocabulary.Normalize(attribute, value, caps.Aliases)!;
                    if (vso.Length == 0) continue;
                    if (!byValue.TryGetValue(vso, out var ids)) byValue[vso] = ids = new SortedSet<string>(StringComparer.Ordinal);
                    ids.Add(p.Id);
                }
            }
            attributes[Vocabulary.Name(attribute)] = byValue.Select(v => new VocabularyValue(v.Key, v.Value.ToList())).ToList();
        }
        return new VocabularyView(attributes);
    }

    private static IReadOnlyList<string> Declared(ProviderCapabilities caps, QueryAttribute attribute) => attribute switch
    {
        QueryAttribute.Provider => caps.Providers,
        QueryAttribute.Source => caps.Sources,
        QueryAttribute.Instrument => caps.Instruments,
        QueryAttribute.Detector => caps.Detectors,
        QueryAttribute.Physobs => caps.Physobs,
        QueryAttribute.Level => caps.Levels,
        _ => [],
    };

    /// <summary>The document: attribute name → its values.</summary>
    public sealed record VocabularyView(IReadOnlyDictionary<string, IReadOnlyList<VocabularyValue>> Attributes);

    /// <summary>One accepted value and the ids of the providers offering it.</summary>
    public sealed record VocabularyValue(string Value, IReadOnlyList<string> Providers);
}
