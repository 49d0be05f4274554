namespace Broker.VoTable;

/// <summary>
/// A forward-only, streaming reader of a tabular result (VOTable, CSV/TSV or JSON).
/// Values in <see cref="Current"/> are typed the same way for every format:
/// <see cref="string"/> for char/unicodeChar, <see cref="long"/> for integer types, <see cref="double"/>
/// for float/double, <see cref="bool"/> for boolean/bit, <see cref="DateTime"/> (UTC) for char columns with
/// <c>xtype="timestamp"</c>, arrays (<c>long[]</c>, <c>double[]</c>, <c>bool[]</c>) for non-char array columns
/// and complex numbers, and <c>null</c> for null cells. Readers never close the underlying stream.
/// </summary>
public interface ITableReader : IAsyncDisposable
{
    /// <summary>Column metadata, in column order.</summary>
    IReadOnlyList<TableField> Fields { get; }

    /// <summary>The current row; the same array is reused for every row, so copy it to keep values.</summary>
    object?[] Current { get; }

    /// <summary>Advances to the next row; returns false after the last row.</summary>
    ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>The <c>QUERY_STATUS</c> reported by the document (OK, OVERFLOW, ERROR), or null if none was seen.
    /// Trailing statuses are only known once <see cref="ReadAsync"/> has returned false.</summary>
    string? QueryStatus { get; }

    /// <summary>True when the document reported <c>QUERY_STATUS=OVERFLOW</c>.</summary>
    bool IsOverflow { get; }

    /// <summary>The error message when <see cref="QueryStatus"/> is ERROR.</summary>
    string? ErrorMessage { get; }
}
