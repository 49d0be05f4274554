using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Broker.Core.Model;
using Broker.Core.Search;

namespace Broker.Server.Rest;

/// <summary>
/// The JSON of a search's records, rendered per provider answer as each answer arrives (while slower providers still
/// work), so the final write only copies bytes in merged order. A provider's prepared list is rendered once for as
/// long as it lives: answers served from the cache come back as the same list and are never rendered again. One
/// weak entry per provider answer, not per record, and records packed into shared 64 KiB arrays rather than one array
/// each, keep the garbage collector's work small.
/// </summary>
public sealed class RecordJson
{
    private static readonly ConditionalWeakTable<IReadOnlyList<DataRecord>, ReadOnlyMemory<byte>[]> ByAnswer = new();
    private static readonly ConditionalWeakTable<IReadOnlyList<DataRecord>, ReadOnlyMemory<byte>[]>.CreateValueCallback RenderAll = RenderList;

    // Below the large-object heap's 85,000 bytes.
    private const int ChunkSize = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    // One map per record provider, not one for the whole search: a map of all records of a large search (24 bytes an entry)
    // lands on the large-object heap, and that churn brought full collections under load (scripts/bench.sh fanout).
    private readonly Dictionary<string, Dictionary<DataRecord, ReadOnlyMemory<byte>>> _json = new(StringComparer.Ordinal);

    /// <summary>Renders one provider's records (called from that provider's task as it completes).</summary>
    public void Add(ProviderOutcome outcome)
    {
        if (outcome.Records.Count == 0) return;
        var rendered = RenderAnswer(outcome.Records);
        // The maps are filled outside the lock: the providers of a search tend to finish together, and filling
        // thousands of entries under it had them spin on each other.
        var maps = new List<(string Provider, Dictionary<DataRecord, ReadOnlyMemory<byte>> Map)>(1);
        Dictionary<DataRecord, ReadOnlyMemory<byte>>? map = null;
        string? provider = null;
        for (var i = 0; i < rendered.Length; i++)
        {
            var record = outcome.Records[i];
            // Keyed by the record's own provider (a VSO SOAP answer may name several), looked up again only when it changes.
            if (map is null || !ReferenceEquals(provider, record.Provider))
            {
                provider = record.Provider;
                map = maps.Find(m => m.Provider == provider).Map;
                if (map is null) maps.Add((provider, map = new Dictionary<DataRecord, ReadOnlyMemory<byte>>(rendered.Length, ReferenceEqualityComparer.Instance)));
            }
            map[record] = rendered[i];
        }
        lock (_json)
        {
            foreach (var (name, entries) in maps)
            {
                if (!_json.TryGetValue(name, out var existing)) _json[name] = entries;
                else foreach (var (record, json) in entries) existing[record] = json; // two answers naming one provider (SOAP)
            }
        }
    }

    /// <summary>The JSON of each record of a provider's answer, rendered once per answer list.</summary>
    public static ReadOnlyMemory<byte>[] RenderAnswer(IReadOnlyList<DataRecord> records) => ByAnswer.GetValue(records, RenderAll);

    /// <summary>A record's JSON object: rendered ahead when its provider's answer was added, else now.</summary>
    /// <remarks>Called only once the search has returned: every <see cref="Add"/> has completed by then, so reads need no lock.</remarks>
    public ReadOnlyMemory<byte> Get(DataRecord record) =>
        _json.TryGetValue(record.Provider, out var map) && map.TryGetValue(record, out var json) ? json : Render(record);

    /// <summary>Renders one record as a standalone JSON object.</summary>
    public static byte[] Render(DataRecord record) => RenderInPlace(record).ToArray();

    /// <summary>One record's JSON in this thread's buffer, valid until the thread's next render.</summary>
    private static ReadOnlySpan<byte> RenderInPlace(DataRecord record)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, SearchResultJson.WriterOptions);
        writer.Reset(buffer);
        SearchResultJson.WriteRecord(writer, record);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private static ReadOnlyMemory<byte>[] RenderList(IReadOnlyList<DataRecord> records)
    {
        var rendered = new ReadOnlyMemory<byte>[records.Count];
        var chunk = Array.Empty<byte>();
        var used = 0;
        for (var i = 0; i < rendered.Length; i++)
        {
            var json = RenderInPlace(records[i]);
            if (json.Length > chunk.Length - used)
            {
                chunk = new byte[Math.Max(ChunkSize, json.Length)];
                used = 0;
            }
            json.CopyTo(chunk.AsSpan(used));
            rendered[i] = chunk.AsMemory(used, json.Length);
            used += json.Length;
        }
        return rendered;
    }
}
