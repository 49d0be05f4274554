using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Broker.Core.Model;

namespace Broker.Server.Rest;

/// <summary>
/// The JSON of each record, rendered once per record object and kept as long as the record lives. The engine
/// reports each provider's answer as it arrives, so records are rendered while slower providers still work; and a
/// cached answer (the same record objects again) is never rendered twice. The final write only copies bytes.
/// </summary>
public static class RecordJson
{
    private static readonly ConditionalWeakTable<DataRecord, byte[]> Rendered = new();
    private static readonly ConditionalWeakTable<DataRecord, byte[]>.CreateValueCallback Render = RenderOne;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>The record's JSON object, rendered on first use.</summary>
    public static byte[] Get(DataRecord record) => Rendered.GetValue(record, Render);

    /// <summary>Renders records ahead of the answer (called from each provider's task as it completes).</summary>
    public static void Warm(IReadOnlyList<DataRecord> records)
    {
        for (var i = 0; i < records.Count; i++) Get(records[i]);
    }

    private static byte[] RenderOne(DataRecord record)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, SearchResultJson.WriterOptions);
        writer.Reset(buffer);
        SearchResultJson.WriteRecord(writer, record);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
