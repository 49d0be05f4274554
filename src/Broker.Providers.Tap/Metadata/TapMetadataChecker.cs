using System.Net;
using System.Xml;
using Broker.Core.Providers;
using Broker.Core.Services;
using Broker.Providers.Tap.Profiles;
using Broker.Providers.Tap.Protocol;
using Microsoft.Extensions.Logging;

namespace Broker.Providers.Tap.Metadata;

/// <summary>
/// The VOSI check of one provider: /availability, /tables (plus /tables/{name} for tables listed without columns)
/// against the profile's mapping, and /capabilities for BINARY2. What was read is saved; when the provider cannot
/// be read, the last saved metadata is checked instead.
/// </summary>
internal sealed partial class TapMetadataChecker(
    string providerId, HttpClient http, TapEndpoints endpoints, TapProfile profile, TapClient client,
    IProviderMetadataStore store, TimeProvider time, ILogger logger)
{
    private const int MaxDocumentBytes = 32 << 20;

    /// <summary>Returns the problem found (null when healthy or when nothing could be learnt).</summary>
    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        if (await AvailabilityProblemAsync(ct).ConfigureAwait(false) is { } unavailable) problems.Add(unavailable);
        var required = profile.RequiredColumns;
        IReadOnlyList<TableMetadata>? tables;
        try
        {
            tables = await ReadTablesAsync(required.Keys, ct).ConfigureAwait(false);
            await store.SaveAsync(providerId, new ProviderMetadata(time.GetUtcNow(), tables), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ProviderException or XmlException)
        {
            var saved = await store.LoadAsync(providerId, ct).ConfigureAwait(false);
            LogTablesUnreadable(logger, providerId, ex.Message, saved?.ReadAt);
            tables = saved?.Tables;
        }
        if (tables is not null) problems.AddRange(MappingCheck.FindMissing(required, tables));
        await NegotiateFormatAsync(ct).ConfigureAwait(false);
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private async Task<string?> AvailabilityProblemAsync(CancellationToken ct)
    {
        try
        {
            using var response = await TapHttp.GetAsync(http, endpoints.Availability, providerId, ct).ConfigureAwait(false);
            // Availability is optional after VOSI 1.1: only a document saying "not available" is a problem.
            if (response.StatusCode != HttpStatusCode.OK) return null;
            var doc = VosiDocuments.Load(await TapHttp.ReadLimitedAsync(response.Content, 1 << 20, ct).ConfigureAwait(false));
            var (available, note) = VosiDocuments.ParseAvailability(doc);
            return available ? null : $"{providerId} reports itself unavailable" + (note is null ? "" : ": " + note);
        }
        catch (Exception ex) when (ex is ProviderException or XmlException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<TableMetadata>> ReadTablesAsync(IEnumerable<string> wanted, CancellationToken ct)
    {
        var tables = (await ReadTableDocumentAsync(endpoints.Tables, ct).ConfigureAwait(false)).ToList();
        // pyvo-style services list tables without columns at /tables (detail=min): fetch the mapped ones one by one.
        foreach (var name in wanted)
        {
            var listed = MappingCheck.Find(name, tables);
            if (listed is null || listed.Columns.Count > 0) continue;
            try
            {
                var detail = await ReadTableDocumentAsync(TapEndpoints.Child(endpoints.Tables, Uri.EscapeDataString(listed.Name)), ct).ConfigureAwait(false);
                if (detail.FirstOrDefault() is { } full) tables[tables.IndexOf(listed)] = listed with { Columns = full.Columns };
            }
            catch (ProviderException ex)
            {
                LogTablesUnreadable(logger, providerId, ex.Message, null);
            }
        }
        return tables;
    }

    private async Task<IReadOnlyList<TableMetadata>> ReadTableDocumentAsync(Uri url, CancellationToken ct)
    {
        using var response = await TapHttp.GetAsync(http, url, providerId, ct).ConfigureAwait(false);
        await TapHttp.EnsureSuccessAsync(response, providerId, "VOSI tables", ct).ConfigureAwait(false);
        var body = await TapHttp.ReadLimitedAsync(response.Content, MaxDocumentBytes, ct).ConfigureAwait(false);
        try
        {
            return VosiDocuments.ParseTables(VosiDocuments.Load(body));
        }
        catch (XmlException ex)
        {
            throw new ProviderException($"malformed VOSI tables from {providerId}: {ex.Message}", inner: ex);
        }
    }

    private async Task NegotiateFormatAsync(CancellationToken ct)
    {
        try
        {
            using var response = await TapHttp.GetAsync(http, endpoints.Capabilities, providerId, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) return;
            var doc = VosiDocuments.Load(await TapHttp.ReadLimitedAsync(response.Content, 4 << 20, ct).ConfigureAwait(false));
            client.Binary2Offered = VosiDocuments.OffersBinary2(doc);
        }
        catch (Exception ex) when (ex is ProviderException or XmlException)
        {
            // Keep the previous choice: TABLEDATA is always understood.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "VOSI tables of {ProviderId} unreadable ({Reason}); checking the metadata saved at {SavedAt}")]
    private static partial void LogTablesUnreadable(ILogger logger, string providerId, string reason, DateTimeOffset? savedAt);
}
