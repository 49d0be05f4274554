using System.Globalization;
using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.VoTable;

namespace Broker.TapService.DataLink;

/// <summary>One row of a provider's own DataLink document, with the values of its FIELDs that carry an XML ID (what a
/// service descriptor's PARAM <c>ref</c> may name).</summary>
public sealed record ProviderLinkRow(LinkRow Link, IReadOnlyDictionary<string, string> ReferencedValues);

/// <summary>A provider's own DataLink {links} document as the broker read it: its rows and its meta RESOURCEs
/// (service descriptors).</summary>
public sealed record ProviderLinks(IReadOnlyList<ProviderLinkRow> Rows, IReadOnlyList<VoTableResource> Resources);

/// <summary>
/// Reads a provider's own DataLink document (the ObsCore <c>access_url</c> of a record whose <c>access_format</c> is
/// DataLink). The call goes through the provider's one resilience pipeline and its HTTP client (its credentials and
/// concurrency limit, <see cref="IProviderHttpClient"/>), only to an address of the provider
/// (<see cref="ProviderRuntime.Serves"/>, redirects followed by hand and checked at each hop). The document is read
/// by the project's VOTable reader (DTDs refused, linear time), bounded in bytes and rows.
/// </summary>
public sealed class ProviderLinksReader
{
    /// <summary>Largest provider DataLink document read.</summary>
    public const int MaxDocumentBytes = 4 << 20;

    /// <summary>Most rows read from one provider document.</summary>
    public const int MaxRows = 1000;

    private const int MaxRedirects = 5;

    public async Task<ProviderLinks> ReadAsync(ProviderRuntime provider, Uri url, CancellationToken cancellationToken) =>
        await provider.RunAsync(ct => FetchAsync(provider, url, ct), cancellationToken).ConfigureAwait(false);

    private static async Task<ProviderLinks> FetchAsync(ProviderRuntime provider, Uri url, CancellationToken ct)
    {
        if (provider.Adapter is not IProviderHttpClient { Http: var http })
            throw new ProviderException($"{provider.Id} has no HTTP client to read its DataLink document with");
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (!provider.Serves(url))
                throw new ProviderException($"{(hop == 0 ? "its DataLink URL" : "a redirect")} points to {url.Scheme}://{url.Authority}, not an address of {provider.Id} in the registry; not called");
            using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead, ct)
                .ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } next)
            {
                url = next.IsAbsoluteUri ? next : new Uri(url, next);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw new ProviderException($"its DataLink service answered HTTP {status} {response.ReasonPhrase}".TrimEnd(), transient: status is 502 or 503 or 504);
            if (response.Content.Headers.ContentType?.MediaType is "text/html" or "application/xhtml+xml")
                throw new ProviderException("its DataLink service answered an HTML page, not a VOTable");
            if (response.Content.Headers.ContentLength > MaxDocumentBytes)
                throw new ProviderException($"its DataLink document is larger than {MaxDocumentBytes / (1 << 20)} MiB; not read");
            var body = await ReadBoundedAsync(response, ct).ConfigureAwait(false);
            try
            {
                return await ParseAsync(body, ct).ConfigureAwait(false);
            }
            catch (TableFormatException ex)
            {
                throw new ProviderException("its DataLink document cannot be read: " + ex.Message, inner: ex);
            }
        }
        throw new ProviderException($"its DataLink service redirected more than {MaxRedirects} times");
    }

    private static async Task<MemoryStream> ReadBoundedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var body = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + n > MaxDocumentBytes)
                throw new ProviderException($"its DataLink document is larger than {MaxDocumentBytes / (1 << 20)} MiB; not read");
            body.Write(buffer, 0, n);
        }
        body.Position = 0;
        return body;
    }

    /// <summary>Reads a DataLink document: its rows by the standard column names, and its meta RESOURCEs.</summary>
    public static async Task<ProviderLinks> ParseAsync(Stream document, CancellationToken ct)
    {
        await using var reader = await VoTableReader.OpenAsync(document, ct).ConfigureAwait(false);
        var fields = reader.Fields;
        int Column(string name)
        {
            for (var i = 0; i < fields.Count; i++)
                if (string.Equals(fields[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
        int id = Column("ID"), accessUrl = Column("access_url"), serviceDef = Column("service_def"), error = Column("error_message"),
            semantics = Column("semantics"), description = Column("description"), contentType = Column("content_type"),
            contentLength = Column("content_length"), qualifier = Column("content_qualifier"), local = Column("local_semantics"),
            auth = Column("link_auth"), authorized = Column("link_authorized");
        if (fields.Count > 0 && (id < 0 || semantics < 0))
            throw new TableFormatException("not a DataLink table: it has no ID or semantics column");
        var referenced = Enumerable.Range(0, fields.Count).Where(i => fields[i].XmlId is not null).ToList();
        var rows = new List<ProviderLinkRow>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            if (rows.Count == MaxRows) throw new TableFormatException($"more than {MaxRows} links in one document");
            var cells = reader.Current;
            string? Cell(int i) => i < 0 || cells[i] is null ? null : Convert.ToString(cells[i], CultureInfo.InvariantCulture) is { Length: > 0 } s ? s : null;
            var link = new LinkRow(Cell(id) ?? string.Empty, Cell(semantics) ?? string.Empty, Cell(accessUrl), Cell(serviceDef), Cell(error),
                Cell(description), Cell(contentType), contentLength >= 0 && cells[contentLength] is { } size ? Convert.ToInt64(size, CultureInfo.InvariantCulture) : null,
                Cell(qualifier))
            {
                LocalSemantics = Cell(local), LinkAuth = Cell(auth),
                LinkAuthorized = authorized >= 0 && cells[authorized] is bool b ? b : null,
            };
            rows.Add(new ProviderLinkRow(link, referenced.Where(i => Cell(i) is not null).ToDictionary(i => fields[i].XmlId!, i => Cell(i)!, StringComparer.Ordinal)));
        }
        if (reader.ErrorMessage is { } message) throw new ProviderException("its DataLink service reported an error: " + message);
        return new ProviderLinks(rows, reader.MetaResources);
    }
}
