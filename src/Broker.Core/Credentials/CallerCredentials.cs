namespace Broker.Core.Credentials;

/// <summary>
/// The credentials one caller brings, per provider id (case-insensitive). A provider without an entry is asked with the
/// broker's service credential from providers.yaml, or anonymously. Carried by <c>SearchRequest.Credentials</c> and
/// <c>FileResolver.ResolveAsync</c>; while a provider call runs, <see cref="Current"/> makes them visible to the one
/// outbound place that applies credentials (the provider's HTTP handler), which sends each only to its own provider.
/// </summary>
public sealed class CallerCredentials
{
    private static readonly AsyncLocal<CallerCredentials?> Ambient = new();

    private readonly Dictionary<string, ProviderCredential> _byProvider;

    public CallerCredentials(IEnumerable<KeyValuePair<string, ProviderCredential>> byProvider)
    {
        ArgumentNullException.ThrowIfNull(byProvider);
        _byProvider = new Dictionary<string, ProviderCredential>(byProvider, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>No credential for any provider.</summary>
    public static CallerCredentials None { get; } = new([]);

    /// <summary>The providers this caller has a credential for.</summary>
    public IReadOnlyCollection<string> Providers => _byProvider.Keys;

    public bool IsEmpty => _byProvider.Count == 0;

    /// <summary>The caller's credential for <paramref name="providerId"/>, or null (anonymous / service credential).</summary>
    public ProviderCredential? For(string providerId) => _byProvider.GetValueOrDefault(providerId);

    /// <summary>True when the caller brings a credential for <paramref name="providerId"/>: its answers are the caller's own.</summary>
    public bool Has(string providerId) => _byProvider.ContainsKey(providerId);

    public override string ToString() => $"credentials for {string.Join(", ", _byProvider.Keys.Order())} (hidden)";

    /// <summary>The credentials of the caller whose provider calls run in this async flow (null: anonymous).</summary>
    public static CallerCredentials? Current => Ambient.Value;

    /// <summary>
    /// Makes <paramref name="credentials"/> the <see cref="Current"/> ones for this async flow until the result is
    /// disposed. The engine calls it around a caller's provider calls; nothing else needs to.
    /// </summary>
    public static IDisposable Use(CallerCredentials? credentials)
    {
        var previous = Ambient.Value;
        Ambient.Value = credentials;
        return new Restore(previous);
    }

    private sealed class Restore(CallerCredentials? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
