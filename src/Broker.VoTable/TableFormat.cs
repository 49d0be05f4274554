namespace Broker.VoTable;

/// <summary>Output formats understood by <see cref="TableWriters"/>.</summary>
public enum TableFormat
{
    /// <summary>VOTable with TABLEDATA rows.</summary>
    VoTable,

    /// <summary>VOTable with BINARY rows.</summary>
    VoTableBinary,

    /// <summary>VOTable with BINARY2 rows.</summary>
    VoTableBinary2,

    /// <summary>RFC 4180 CSV with a header row.</summary>
    Csv,

    /// <summary>Tab-separated values with a header row.</summary>
    Tsv,

    /// <summary>The de-facto TAP JSON format.</summary>
    Json,
}
