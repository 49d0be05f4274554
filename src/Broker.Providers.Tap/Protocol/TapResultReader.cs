using System.Text.Json;
using System.Xml;
using Broker.Core.Providers;
using Broker.Providers.Tap.Profiles;
using Broker.VoTable;

namespace Broker.Providers.Tap.Protocol;

/// <summary>Rows mapped from one result, and whether the service said there were more.</summary>
internal sealed record TapRows<T>(IReadOnlyList<T> Items, bool Overflow);

/// <summary>Streams a TAP result body (VOTable TD/BINARY/BINARY2, CSV or JSON) through a row mapper.</summary>
internal static class TapResultReader
{
    /// <summary>
    /// Reads rows until the end or <paramref name="maxRows"/> (a service ignoring MAXREC cannot flood us).
    /// QUERY_STATUS=ERROR, malformed bodies, an answer without one of <paramref name="expectedColumns"/> and a value that
    /// cannot be read become <see cref="ProviderException"/>s naming what was wrong: never an empty answer.
    /// </summary>
    public static async Task<TapRows<T>> ReadAsync<T>(
        HttpResponseMessage response, string providerId, int maxRows, Func<ResultRow, T?> map, IReadOnlyCollection<string> expectedColumns,
        CancellationToken ct)
        where T : class
    {
        var contentType = response.Content.Headers.ContentType?.ToString();
        var items = new List<T>();
        var read = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using var reader = await TableReaders.OpenAsync(stream, contentType, ct).ConfigureAwait(false);
            var row = new ResultRow(reader.Fields);
            if (row.Missing(expectedColumns) is { Count: > 0 } missing)
            {
                // An error document has no table: its QUERY_STATUS may follow, and it is the better message.
                while (reader.QueryStatus != QueryStatuses.Error && await reader.ReadAsync(ct).ConfigureAwait(false)) { }
                if (reader.QueryStatus == QueryStatuses.Error)
                    throw new ProviderException($"{providerId} reported an error: {reader.ErrorMessage}");
                throw new ProviderException($"the answer of {providerId} lacks column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}");
            }
            var cut = false;
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                if (read >= maxRows)
                {
                    cut = true;
                    break;
                }
                read++;
                row.Set(reader.Current);
                T? item;
                try
                {
                    item = map(row);
                }
                catch (FormatException ex)
                {
                    throw new ProviderException($"unreadable answer from {providerId}: row {read}: {ex.Message}", inner: ex);
                }
                if (item is not null) items.Add(item);
            }
            if (reader.QueryStatus == QueryStatuses.Error)
                throw new ProviderException($"{providerId} reported an error: {reader.ErrorMessage}");
            // CSV and JSON cannot say OVERFLOW: a full page is taken as "maybe more".
            var overflow = cut || reader.IsOverflow || reader.QueryStatus is null && read >= maxRows;
            return new TapRows<T>(items, overflow);
        }
        catch (Exception ex) when (ex is TableFormatException or XmlException or JsonException or FormatException)
        {
            throw new ProviderException($"malformed {Describe(contentType)} from {providerId}: {ex.Message}", inner: ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new ProviderException($"{providerId} broke off the result: {ex.Message}", transient: true, ex);
        }
    }

    private static string Describe(string? contentType)
    {
        var t = contentType?.ToLowerInvariant() ?? "";
        if (t.Contains("json", StringComparison.Ordinal)) return "JSON result";
        if (t.Contains("csv", StringComparison.Ordinal) || t.Contains("tab-separated", StringComparison.Ordinal)) return "CSV result";
        return "VOTable";
    }
}
