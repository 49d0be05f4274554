namespace Broker.VoTable;

/// <summary>How VOTable rows are serialized inside <c>DATA</c>.</summary>
public enum VoTableSerialization
{
    /// <summary><c>TABLEDATA</c>: XML <c>TR</c>/<c>TD</c> elements.</summary>
    TableData,

    /// <summary><c>BINARY</c>: base64 big-endian stream; nulls need <c>VALUES null</c>.</summary>
    Binary,

    /// <summary><c>BINARY2</c>: like BINARY with per-row null-flag bytes.</summary>
    Binary2,
}
