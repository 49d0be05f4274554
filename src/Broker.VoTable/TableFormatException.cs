namespace Broker.VoTable;

/// <summary>Thrown when a table document (VOTable, CSV, JSON) is malformed, unsupported or unsafe.</summary>
public sealed class TableFormatException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public TableFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public TableFormatException(string message, Exception innerException) : base(message, innerException) { }
}
