using Broker.Core.Model;

namespace Broker.Core.Providers;

/// <summary>What a provider returned for one block.</summary>
/// <param name="Records">Records mapped to the homogeneous model.</param>
/// <param name="Truncated">True when the provider said it had more (TAP OVERFLOW, VSO found &gt; returned).</param>
/// <param name="TotalAvailable">The provider's own count of matches when it gives one.</param>
public sealed record ProviderAnswer(IReadOnlyList<DataRecord> Records, bool Truncated = false, long? TotalAvailable = null)
{
    /// <summary>True when <see cref="TotalAvailable"/> is an exact count (VSOi no_of_records_found, a COUNT(*)), not a lower bound.</summary>
    public bool TotalExact { get; init; }

    public static readonly ProviderAnswer Empty = new([]);
}

/// <summary>Thrown by adapters for a provider-side failure with a message worth showing to a person.</summary>
public sealed class ProviderException : Exception
{
    public ProviderException(string message, bool transient = false, Exception? inner = null) : base(message, inner)
        => IsTransient = transient;

    /// <summary>True when trying again may succeed (HTTP 502/503/504, connection reset).</summary>
    public bool IsTransient { get; }
}

/// <summary>
/// The broker did not ask the provider: its concurrency limit and queue were full. Not the provider's fault (the
/// circuit does not count it) and not retried; the provider's status line says so.
/// </summary>
public sealed class ProviderBusyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The provider refused the credentials it was called with (or wants some and got none): HTTP 401/403, or a login page
/// instead of data. Not retried and never the provider's fault (<c>ProviderFaults</c>): one user's wrong password must
/// not open the circuit for everyone. The message says what the person can do about it.
/// </summary>
public sealed class ProviderUnauthorizedException(string message, Exception? inner = null) : Exception(message, inner);
