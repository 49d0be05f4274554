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

    private readonly SemaphoreSlim _learning = new(1, 1);
    private volatile bool _learnt;

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
        if (tables is not null)
        {
            Learn(tables);
            problems.AddRange(MappingCheck.FindMissing(profile.RequiredColumns, tables));
        }
        await NegotiateFormatAsync(ct).ConfigureAwait(false);
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>
    /// Reads the service's tables before its first query when no check has yet (a search right after start-up), so
    /// that the ADQL uses the columns and delimited names the service really has. A failure leaves the profile's
    /// assumptions in place; the regular check tries again.
    /// </summary>
    public async Task EnsureLearntAsync(CancellationToken ct)
    {
        if (_learnt) return;
        await _learning.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_learnt) return;
            IReadOnlyList<TableMetadata>? tables;
            try
            {
                tables = await ReadTablesAsync(profile.RequiredColumns.Keys, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTablesUnreadable(logger, providerId, ex.Message, null);
                tables = (await store.LoadAsync(providerId, ct).ConfigureAwait(false))?.Tables;
            }
            if (tables is not null) Learn(tables);
            _learnt = true;
        }
        finally
        {
            _learning.Release();
        }
    }

    /// <summary>Tells the profile and the client what the service declared.</summary>
    private void Learn(IReadOnlyList<TableMetadata> tables)
    {
        // quoteIdentifiers: auto writes names as the service lists them: delimited ones ("level") delimited.
        client.ListedDelimited = tables.SelectMany(t => t.Columns.Select(c => c.Name).Append(t.Name))
            .SelectMany(n => n.Split('.'))
            .Where(n => n.Length > 2 && n[0] == '"' && n[^1] == '"')
            .Select(n => n[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        profile.Learn(tables);
        _learnt = true;
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
