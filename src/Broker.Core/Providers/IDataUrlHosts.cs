namespace Broker.Core.Providers;

/// <summary>
/// Implemented by adapters whose data URLs may live on hosts other than the provider url's own host
/// (TAP <c>dataUrlHosts</c>); see <see cref="Search.ProviderRuntime.Serves"/>, the rule every data-URL call follows.
/// </summary>
public interface IDataUrlHosts
{
    /// <summary>Host names (without port) that serve this provider's files, besides the provider url's host.</summary>
    IReadOnlyCollection<string> DataUrlHosts { get; }
}
