using Broker.Core.Configuration;

namespace Broker.Soap.Providers;

/// <summary>
/// Settings of a legacy VSOi provider (<c>type: soap</c> in providers.yaml). The endpoint is the entry's
/// <c>url</c>; timeouts, retries and the breaker come from the entry's common <c>resilience</c> settings.
/// Keys under <c>options:</c>: <c>providers</c>, <c>email</c>, <c>methods</c>, <c>maxResponseBytes</c>.
/// </summary>
public sealed record SoapProviderOptions
{
    /// <summary>The VSOi endpoint (soap:address) to POST to.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>
    /// The VSO provider name(s) this endpoint serves (SDAC, NSO ...): sent as <c>block/provider</c> and in
    /// GetData. With exactly one name, file ids pass through unchanged; otherwise the broker's file id is
    /// <c>NAME|fileid</c> so GetData can name the right provider. <value>Default: none (every provider behind the endpoint).</value>
    /// </summary>
    public IReadOnlyList<string> ProviderNames { get; init; } = [];

    /// <summary>The <c>info/email</c> sent with GetData (required by the WSDL). <value>Default "vso-broker".</value></summary>
    public string Email { get; init; } = "vso-broker";

    /// <summary>Transfer methods asked for, in order. <value>Default URL-FILE, URL.</value></summary>
    public IReadOnlyList<string> Methods { get; init; } = ["URL-FILE", "URL"];

    /// <summary>Largest answer read from the provider. <value>Default 64 MiB.</value></summary>
    public long MaxResponseBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>True when broker file ids carry the VSO provider name (see <see cref="ProviderNames"/>).</summary>
    public bool PrefixFileIds => ProviderNames.Count != 1;

    /// <summary>Reads the options of one providers.yaml entry; problems go to the entry's error list.</summary>
    public static SoapProviderOptions Read(ProviderConfig config)
    {
        var o = config.Options;
        var d = new SoapProviderOptions { Endpoint = config.Url };
        var methods = o.GetStringList("methods");
        var options = d with
        {
            ProviderNames = o.GetStringList("providers"),
            Email = o.GetString("email") ?? d.Email,
            Methods = methods.Count > 0 ? methods : d.Methods,
            MaxResponseBytes = o.GetInt("maxResponseBytes", (int)Math.Min(d.MaxResponseBytes, int.MaxValue), 1024, int.MaxValue),
        };
        if (options.ProviderNames.Any(n => n.Contains('|')))
            o.Error("providers", "a provider name may not contain '|'");
        return options;
    }
}
