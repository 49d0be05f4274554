using System.Globalization;
using Broker.Adql;
using Broker.Simulators.Hosting;
using Broker.TapService;
using Broker.VoTable;

namespace Broker.Simulators.Tap;

/// <summary>A query validated and bound, ready to be written (or an error to report).</summary>
internal sealed record PreparedQuery(string ContentType, string? Error, Func<Stream, CancellationToken, Task> WriteAsync)
{
    public bool IsError => Error is not null;
}

/// <summary>
/// Turns TAP parameters into a result document: LANG/REQUEST/QUERY/FORMAT/MAXREC validation, ADQL evaluation over
/// the provider's tables, streaming output with QUERY_STATUS OK/OVERFLOW/ERROR. Shared by /sync and async jobs.
/// </summary>
internal static class QueryRunner
{
    private const string ErrorContentType = "application/x-votable+xml";

    /// <summary>
    /// <see cref="Prepare"/>, or for a <see cref="SimulatedProviderOptions.PreRendered"/> provider the bytes rendered
    /// the first time the same parameters were asked (faults still apply around them).
    /// </summary>
    public static async Task<PreparedQuery> PrepareOnceAsync(SimulatedProvider provider, TapParameters p, FaultSpec faults, bool authorised)
    {
        if (!provider.Options.PreRendered) return Prepare(provider, p, faults, authorised);
        var key = string.Join("\n", new[] { "LANG", "REQUEST", "QUERY", "RESPONSEFORMAT", "FORMAT", "MAXREC" }.Select(k => p[k])) + "\n" + authorised;
        var rendered = await provider.Rendered.GetOrAdd(key, _ => new Lazy<Task<(string, string?, byte[])>>(async () =>
        {
            var prepared = Prepare(provider, p, faults, authorised);
            using var buffer = new MemoryStream();
            await prepared.WriteAsync(buffer, CancellationToken.None).ConfigureAwait(false);
            return (prepared.ContentType, prepared.Error, buffer.ToArray());
        })).Value.ConfigureAwait(false);
        return new PreparedQuery(rendered.ContentType, rendered.Error, (s, ct) => s.WriteAsync(rendered.Body, ct).AsTask());
    }

    public static PreparedQuery Prepare(SimulatedProvider provider, TapParameters p, FaultSpec faults, bool authorised)
    {
        var lang = p["LANG"];
        if (lang is not null && !IsAdql(lang)) return Error($"unknown query language: {lang}");
        var request = p["REQUEST"];
        if (request is not null && !request.Equals("doQuery", StringComparison.OrdinalIgnoreCase)
            && !request.Equals("doQueryFilteredByDistance", StringComparison.OrdinalIgnoreCase))
        {
            return Error($"unknown REQUEST: {request}");
        }

        var query = p["QUERY"];
        if (string.IsNullOrWhiteSpace(query)) return Error("The QUERY parameter is missing.");
        var formatText = p["RESPONSEFORMAT"] ?? p["FORMAT"];
        if (!TableWriters.TryParseFormat(formatText, out var format)) return Error($"Unsupported RESPONSEFORMAT '{formatText}'.");
        long maxRec = provider.Options.DefaultMaxRec;
        if (p["MAXREC"] is { } maxText)
        {
            if (!long.TryParse(maxText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out maxRec))
                return Error($"MAXREC must be a non-negative integer, got '{maxText}'.");
            maxRec = Math.Min(maxRec, provider.Options.HardMaxRec);
        }

        AdqlResult result;
        try
        {
            result = provider.EngineFor(authorised).Execute(query, faults.HugeResult ? null : maxRec, ignoreTop: faults.HugeResult);
        }
        catch (AdqlSyntaxException e)
        {
            return Error(e.Message);
        }
        catch (AdqlSemanticException e)
        {
            return Error(e.Message);
        }

        var fields = result.Columns
            .Select(c => new TableField(c.Name, c.Datatype, c.Arraysize, c.Xtype, c.Unit, Description: c.Description))
            .ToArray();
        var contentType = TableWriters.GetContentType(format, formatText);
        return new PreparedQuery(contentType, null, (stream, ct) => WriteAsync(result, format, fields, stream, faults, ct));
    }

    private static async Task WriteAsync(AdqlResult result, TableFormat format, TableField[] fields, Stream stream,
        FaultSpec faults, CancellationToken ct)
    {
        await using var writer = TableWriters.Create(format, stream, fields);
        try
        {
            var rows = faults.HugeResult ? Repeat(result.Rows, faults.HugeResultRows) : result.Rows;
            foreach (var row in rows)
            {
                await writer.WriteRowAsync(row, ct).ConfigureAwait(false);
            }

            await writer.CompleteAsync(overflow: !faults.HugeResult && result.Overflow, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AdqlSemanticException or InvalidCastException or ArgumentException or OverflowException)
        {
            await writer.FailAsync(e.Message, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The rows, then the same rows again until at least <paramref name="minimum"/> have been produced.</summary>
    private static IEnumerable<object?[]> Repeat(IEnumerable<object?[]> rows, int minimum)
    {
        var all = rows.ToList();
        var produced = 0;
        foreach (var row in all)
        {
            produced++;
            yield return row;
        }

        while (all.Count > 0 && produced < minimum)
        {
            yield return all[produced % all.Count];
            produced++;
        }
    }

    public static PreparedQuery Error(string message) =>
        new(ErrorContentType, message, (stream, ct) => VoTableWriter.WriteErrorDocumentAsync(stream, message, ct));

    private static bool IsAdql(string lang) =>
        lang.Equals("ADQL", StringComparison.OrdinalIgnoreCase)
        || lang.Equals("ADQL-2.0", StringComparison.OrdinalIgnoreCase)
        || lang.Equals("ADQL-2.1", StringComparison.OrdinalIgnoreCase);
}
