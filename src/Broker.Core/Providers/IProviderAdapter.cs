using Broker.Core.Model;

namespace Broker.Core.Providers;

/// <summary>
/// One data provider behind the broker, speaking that provider's own protocol. Adapters only translate
/// and call: timeouts, retries, circuit breaking and concurrency limits are applied around them by the
/// engine (one resilience pipeline per provider), so an adapter never builds its own.
/// </summary>
public interface IProviderAdapter
{
    /// <summary>The provider id from providers.yaml (unique in the registry).</summary>
    string Id { get; }

    /// <summary>What this provider can answer; the planner asks only eligible providers.</summary>
    ProviderCapabilities Capabilities { get; }

    /// <summary>Runs one query block; <paramref name="maxRecords"/> is the most records wanted back.</summary>
    Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken);

    /// <summary>Turns file ids this provider returned into download locations, one answer per id.</summary>
    Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken);
}

/// <summary>An adapter that checks its own health (metadata, availability) when the registry asks it to.</summary>
public interface IProviderHealthCheck
{
    /// <summary>Checks the provider; a problem is returned as text, null when healthy.</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>
/// An adapter whose HTTP client others use for calls to the provider's own address (GetData URL checks), so that
/// those calls get the provider's credentials and concurrency limit like the adapter's own.
/// </summary>
public interface IProviderHttpClient
{
    HttpClient Http { get; }
}

/// <summary>An adapter that can count the matches of a block without fetching them (TAP: <c>SELECT COUNT(*)</c>).</summary>
public interface IProviderCounter
{
    /// <summary>The exact number of records matching the block at the provider.</summary>
    Task<long> CountAsync(QueryBlock block, CancellationToken cancellationToken);
}
