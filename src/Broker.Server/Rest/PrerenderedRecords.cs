using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Server.Rest;

/// <summary>
/// Renders each provider's records to JSON as soon as that provider answers, while the slower ones are still
/// working; the final answer then only copies bytes in merged order. This takes most of the serialization of a large
/// merged result off the critical path (the time after the slowest provider answers).
/// </summary>
public sealed class PrerenderedRecords
{
    private readonly ConcurrentDictionary<DataRecord, ReadOnlyMemory<byte>> _rendered = new(ReferenceEqualityComparer.Instance);

    /// <summary>Renders one provider's records (called by the engine from that provider's task).</summary>
    public void Add(ProviderOutcome outcome)
    {
        if (outcome.Records.Count == 0) return;
        var buffer = new ArrayBufferWriter<byte>(outcome.Records.Count * 512);
        var offsets = new int[outcome.Records.Count + 1];
        using (var w = new Utf8JsonWriter(buffer, SearchResultJson.WriterOptions))
        {
            for (var i = 0; i < outcome.Records.Count; i++)
            {
                offsets[i] = buffer.WrittenCount;
                SearchResultJson.WriteRecord(w, outcome.Records[i]);
                // Each record is written as a standalone top-level value (no separating comma): flush it into the
                // buffer and reset the writer's state before the next one.
                w.Flush();
                w.Reset(buffer);
            }
            offsets[outcome.Records.Count] = buffer.WrittenCount;
        }
        var memory = buffer.WrittenMemory;
        for (var i = 0; i < outcome.Records.Count; i++)
            _rendered[outcome.Records[i]] = memory[offsets[i]..offsets[i + 1]];
    }

    /// <summary>The rendered JSON of a record, when its provider's answer was rendered.</summary>
    public bool TryGet(DataRecord record, out ReadOnlyMemory<byte> json) => _rendered.TryGetValue(record, out json);
}
