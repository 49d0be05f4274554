namespace Broker.Core.Providers;

/// <summary>The one rule for which addresses belong to a provider of the registry.</summary>
public static class RegistryHosts
{
    /// <summary>
    /// True when <paramref name="target"/> is on the host and port of <paramref name="origin"/> (a registry URL), or is
    /// the https upgrade of a default-port http origin. Nothing a provider sends may make the broker call another
    /// address, and no credential is sent to any other.
    /// </summary>
    public static bool SameService(Uri target, Uri origin) =>
        target.IsAbsoluteUri && target.Scheme is "http" or "https" && string.Equals(target.Host, origin.Host, StringComparison.OrdinalIgnoreCase) &&
        (target.Port == origin.Port || origin.Scheme == "http" && origin.IsDefaultPort && target.Scheme == "https" && target.IsDefaultPort);
}
