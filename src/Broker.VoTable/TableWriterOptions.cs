namespace Broker.VoTable;

/// <summary>Options shared by all table writers.</summary>
public sealed class TableWriterOptions
{
    /// <summary>Extra INFO elements written in the RESOURCE after <c>QUERY_STATUS=OK</c> and before the TABLE (VOTable only).</summary>
    public IReadOnlyList<VoTableInfo> Infos { get; init; } = [];

    /// <summary>Optional RESOURCE description (VOTable only).</summary>
    public string? Description { get; init; }

    /// <summary>Optional TABLE name (VOTable only).</summary>
    public string? TableName { get; init; }

    /// <summary>Buffered bytes after which the output is written and flushed to the stream. Default 64 KiB.</summary>
    public int FlushThresholdBytes { get; init; } = 64 * 1024;
}
