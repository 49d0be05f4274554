namespace Broker.Providers.Tap.Protocol;

/// <summary>The URLs of one TAP service, resolved from its base url and the configured paths.</summary>
internal sealed class TapEndpoints
{
    public TapEndpoints(Uri baseUrl, TapProviderOptions options)
    {
        // A trailing slash makes "sync" resolve below the base (…/tap/sync), and "../data" next to it.
        Base = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        Sync = Resolve(options.SyncPath);
        Async = Resolve(options.AsyncPath);
        Tables = Resolve(options.TablesPath);
        Availability = Resolve(options.AvailabilityPath);
        Capabilities = Resolve(options.CapabilitiesPath);
        Data = Resolve(options.DataPath);
    }

    public Uri Base { get; }
    public Uri Sync { get; }
    public Uri Async { get; }
    public Uri Tables { get; }
    public Uri Availability { get; }
    public Uri Capabilities { get; }
    public Uri Data { get; }

    /// <summary>A path relative to the base url (or host-absolute with a leading /).</summary>
    public Uri Resolve(string path) => new(Base, path);

    /// <summary>The URL with one more query parameter (name and value escaped).</summary>
    public static Uri WithQuery(Uri url, string name, string value)
    {
        var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
        return new Uri(url.AbsoluteUri + separator + Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value));
    }

    /// <summary>A sub-resource of a job URL (job/phase, job/results/result ...).</summary>
    public static Uri Child(Uri jobUrl, string relative)
    {
        var text = jobUrl.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith('/') ? text + relative : text + "/" + relative);
    }
}
