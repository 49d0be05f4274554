using Broker.Adql;
using Broker.Core.Search;
using Broker.VoTable;

namespace Broker.TapService.Query;

/// <summary>
/// A query's answer, ready to be streamed: output columns, lazily evaluated rows, the INFOs written before the table
/// (one per provider), and the federated search behind it (null for local tables).
/// </summary>
public sealed class TapResult
{
    private readonly AdqlResult _rows;
    private readonly bool _federationCut;

    internal TapResult(AdqlResult rows, IReadOnlyList<TableField> fields, IReadOnlyList<VoTableInfo> infos, SearchResult? search, bool federationCut)
    {
        _rows = rows;
        Fields = fields;
        Infos = infos;
        Search = search;
        _federationCut = federationCut;
    }

    public IReadOnlyList<TableField> Fields { get; }
    public IReadOnlyList<VoTableInfo> Infos { get; }
    public SearchResult? Search { get; }

    /// <summary>Streams the result in <paramref name="format"/> (a RESPONSEFORMAT value): OVERFLOW only when MAXREC cut rows or the federation
    /// returned fewer records than matched; an evaluation error after the first rows ends the document with ERROR.</summary>
    public async Task WriteAsync(string? format, Stream stream, CancellationToken cancellationToken)
    {
        var options = new TableWriterOptions { Infos = Infos, TableName = "result" };
        await using var writer = TableWriters.Create(format, stream, Fields, options);
        try
        {
            foreach (var row in _rows.Rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await writer.WriteRowAsync(row, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AdqlSemanticException ex)
        {
            await writer.FailAsync(ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        await writer.CompleteAsync(_rows.Overflow || _federationCut, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
