namespace Broker.VoTable;

/// <summary>
/// A streaming writer of a tabular result. Call <see cref="WriteRowAsync"/> for each row and finish with
/// exactly one of <see cref="CompleteAsync"/> or <see cref="FailAsync"/>. Output is flushed periodically;
/// whole results are never buffered. Writers never close the underlying stream.
/// </summary>
public interface ITableWriter : IAsyncDisposable
{
    /// <summary>The HTTP content type of the produced document.</summary>
    string ContentType { get; }

    /// <summary>Column metadata, in column order.</summary>
    IReadOnlyList<TableField> Fields { get; }

    /// <summary>Number of rows written so far.</summary>
    long RowCount { get; }

    /// <summary>Writes one row; <paramref name="row"/> must have one value per field (null for a null cell).</summary>
    ValueTask WriteRowAsync(IReadOnlyList<object?> row, CancellationToken cancellationToken = default);

    /// <summary>Finishes the document; <paramref name="overflow"/> adds <c>QUERY_STATUS=OVERFLOW</c> where the
    /// format can express it, and <paramref name="trailingInfos"/> are appended as INFO elements (VOTable only).</summary>
    ValueTask CompleteAsync(bool overflow = false, IEnumerable<VoTableInfo>? trailingInfos = null, CancellationToken cancellationToken = default);

    /// <summary>Finishes the document with an error status (where the format can express it).</summary>
    ValueTask FailAsync(string message, CancellationToken cancellationToken = default);
}
