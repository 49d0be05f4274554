using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Providers;

namespace Broker.Core.Search;

/// <summary>
/// A shared cache of provider answers keyed by provider and normalized block (Redis across instances, or
/// in memory). Implementations must fail fast: a broken cache makes searches uncached, never slower.
/// </summary>
public interface IAnswerCache
{
    ValueTask<ProviderAnswer?> GetAsync(string providerId, string blockKey, CancellationToken cancellationToken);
    ValueTask SetAsync(string providerId, string blockKey, ProviderAnswer answer, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>
    /// Called when the provider call that followed a miss failed: a cache that makes other instances wait for this
    /// answer (cross-instance coalescing) releases them now instead of at its lock's expiry.
    /// </summary>
    ValueTask AbandonAsync(string providerId, string blockKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>No caching.</summary>
public sealed class NoAnswerCache : IAnswerCache
{
    public static readonly NoAnswerCache Instance = new();
    public ValueTask<ProviderAnswer?> GetAsync(string providerId, string blockKey, CancellationToken cancellationToken) => ValueTask.FromResult<ProviderAnswer?>(null);
    public ValueTask SetAsync(string providerId, string blockKey, ProviderAnswer answer, TimeSpan ttl, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>The canonical text of a block, used as cache and coalescing key.</summary>
public static class BlockKey
{
    /// <summary>An open wavelength range is held as +Infinity, which plain JSON cannot write.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Of(QueryBlock block) => JsonSerializer.Serialize(block, Options);
}
