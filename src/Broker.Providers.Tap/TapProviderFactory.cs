using Broker.Core.Configuration;
using Broker.Core.Providers;
using Broker.Core.Services;
using Broker.Providers.Tap.Metadata;
using Broker.Providers.Tap.Profiles;
using Broker.Providers.Tap.Protocol;

namespace Broker.Providers.Tap;

/// <summary>
/// Creates TAP adapters (<c>type: tap</c>) from providers.yaml entries; see <see cref="TapProviderOptions"/> for
/// the <c>options:</c> keys. The metadata store keeps what VOSI /tables said, for checks while a provider is down.
/// </summary>
public sealed class TapProviderFactory(IProviderMetadataStore? metadataStore = null, OrphanedJobs? orphanedJobs = null) : IProviderFactory
{
    private readonly IProviderMetadataStore _store = metadataStore ?? new InMemoryProviderMetadataStore();

    /// <inheritdoc />
    public string Type => "tap";

    /// <inheritdoc />
    public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(context);
        var options = TapOptionsReader.Read(config.Options);
        var endpoints = new TapEndpoints(config.Url, options);
        TapProfile profile = options.Profile switch
        {
            TapProfileKind.ObsCore => new ObsCoreProfile(config.Id, options),
            TapProfileKind.EpnTap => new EpnTapProfile(config.Id, options),
            _ => new SoarProfile(config.Id, options, endpoints.Data),
        };
        foreach (var unknown in profile.Columns.Unknown)
            config.Options.Error("columns", $"'{unknown}' is not a column of the {options.Profile.ToString().ToLowerInvariant()} profile; known: {string.Join(", ", profile.Columns.LogicalNames)}");
        var http = context.HttpClientFor(config);
        var logger = context.Loggers.CreateLogger("Broker.Providers.Tap." + nameof(TapProviderAdapter));
        var client = new TapClient(config.Id, http, endpoints, options, context.Time, logger, orphanedJobs);
        var checker = new TapMetadataChecker(config.Id, http, endpoints, profile, client, _store, context.Time, logger);
        return new TapProviderAdapter(config, options, profile, client, checker, endpoints, http);
    }
}
