using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Broker.Core.Model;

namespace Broker.Sessions.Memory;

/// <summary>
/// A stored query's records packed into byte arrays (and a table of the texts records repeat), read back record by
/// record. The in-memory store kept the record objects themselves: 20 queries of 8,000 records in one session were
/// ~160 MB of small objects (records, sky coverages, strings) that every search's allocations had to be collected
/// around, and each gen1 collection copied them, pausing the broker 100–200 ms (scripts/bench.sh fanout). Packed, a
/// query is a few dozen objects whatever its size, and the records a page or a GetData call needs are rebuilt on
/// demand. A rebuilt record has every field of the stored one, value for value.
/// </summary>
/// <remarks>
/// Chunks of 64 KiB, below the large-object threshold: one large array per query made every few searches a full
/// (gen2) collection, as large-object allocations count against gen2's budget.
/// </remarks>
internal sealed class PackedRecords
{
    private const int ChunkSize = 64 * 1024;

    private readonly byte[][] _chunks;
    private readonly long[] _starts; // where each record begins: chunk index << 32 | offset in the chunk
    private readonly string[] _texts; // the repeated texts, by index

    private PackedRecords(byte[][] chunks, long[] starts, string[] texts)
    {
        _chunks = chunks;
        _starts = starts;
        _texts = texts;
    }

    /// <summary>How many records are stored.</summary>
    public int Count => _starts.Length;

    // Weak keys: a result list's packed copy lives as long as the list (an answer-cache entry's, shared by searches).
    private static readonly ConditionalWeakTable<IReadOnlyList<DataRecord>, PackedRecords> Shared = new();

    /// <summary>
    /// The first <paramref name="count"/> records packed, once per result list: a search answered from the answer cache
    /// by one provider returns that answer's own list, and every session storing it shares one packed copy.
    /// </summary>
    public static PackedRecords Of(IReadOnlyList<DataRecord> records, int count)
    {
        if (Shared.TryGetValue(records, out var packed) && packed.Count == count) return packed;
        packed = Pack(records, count);
        Shared.AddOrUpdate(records, packed);
        return packed;
    }

    /// <summary>Packs the first <paramref name="count"/> records.</summary>
    private static PackedRecords Pack(IReadOnlyList<DataRecord> records, int count)
    {
        var writer = new Writer();
        var chunks = new List<byte[]>();
        var chunk = Array.Empty<byte>();
        var used = 0;
        var starts = new long[count];
        for (var i = 0; i < count; i++)
        {
            var record = writer.Record(records[i]);
            if (used + record.Length > chunk.Length)
            {
                chunks.Add(chunk = new byte[Math.Max(ChunkSize, record.Length)]);
                used = 0;
            }
            starts[i] = (long)(chunks.Count - 1) << 32 | (uint)used;
            record.CopyTo(chunk.AsSpan(used));
            used += record.Length;
        }
        if (chunks.Count > 0 && used < chunk.Length / 2) chunks[^1] = chunk.AsSpan(0, used).ToArray();
        return new PackedRecords([.. chunks], starts, writer.Texts());
    }

    /// <summary>The record at <paramref name="index"/>, rebuilt.</summary>
    public DataRecord this[int index] => At(index).Record();

    private Reader At(int index)
    {
        var start = _starts[index];
        return new Reader(_chunks[(int)(start >> 32)].AsSpan((int)(uint)start), _texts);
    }

    /// <summary>
    /// Records <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/> (fewer at the end; a
    /// negative offset or limit counts as 0, as the store's earlier Skip/Take did).
    /// </summary>
    public List<DataRecord> Page(int offset, int limit)
    {
        var first = Math.Clamp(offset, 0, Count);
        var end = first + Math.Clamp(limit, 0, Count - first);
        var page = new List<DataRecord>(end - first);
        for (var i = first; i < end; i++) page.Add(this[i]);
        return page;
    }

    /// <summary>
    /// Adds to <paramref name="found"/> the records whose file id is in <paramref name="wanted"/> and not found yet;
    /// only those are rebuilt (the file id comes first in a packed record and is compared where it lies).
    /// </summary>
    public void Find(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> wanted, Dictionary<string, DataRecord> found)
    {
        for (var i = 0; i < Count; i++)
            if (wanted.TryGetValue(At(i).FileId(), out var key) && !found.ContainsKey(key)) found[key] = this[i];
    }

    /// <summary>How a text field is stored: absent, inline (its UTF-16 code units: a copy, no transcoding), an index into the repeated texts, or the record's file id.</summary>
    private enum Text : byte { Null, Inline, Repeated, SameAsFileId }

    /// <summary>The text fields, each with its own "previous value" slot (a result's rows repeat their values column by column).</summary>
    private enum Slot { Provider, Source, Instrument, Detector, Physobs, Level, WaveType, Info, DataType, ContentType, ExtentText, AlsoAtProvider, Count }

    /// <summary>Writes one record at a time into a buffer it reuses.</summary>
    private sealed class Writer
    {
        private byte[] _bytes = new byte[4096];
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly List<string> _texts = [];
        private readonly string?[] _last = new string?[(int)Slot.Count];
        private readonly int[] _lastIndex = new int[(int)Slot.Count];

        private int Length { get; set; }

        public string[] Texts() => [.. _texts];

        /// <summary>The record's packed bytes, valid until the next call.</summary>
        public ReadOnlySpan<byte> Record(DataRecord r)
        {
            Length = 0;
            Reserve(MostBytes(r)); // once: the writes below do not check
            Unique(r.FileId, null);
            Repeated(r.Provider, Slot.Provider);
            Repeated(r.Source, Slot.Source);
            Repeated(r.Instrument, Slot.Instrument);
            Repeated(r.Detector, Slot.Detector);
            Repeated(r.Physobs, Slot.Physobs);
            Repeated(r.Level, Slot.Level);
            Time(r.Start);
            Time(r.End);
            Number(r.WaveMin);
            Number(r.WaveMax);
            Repeated(r.WaveType, Slot.WaveType);
            Extent(r.Extent);
            Sky(r.Sky);
            Number(r.SizeKb);
            Repeated(r.Info, Slot.Info);
            Repeated(r.DataType, Slot.DataType);
            Unique(r.DownloadUrl, r.FileId);
            Repeated(r.ContentType, Slot.ContentType);
            Unique(r.ThumbnailUrl, r.FileId);
            Byte(r.Restricted ? (byte)1 : (byte)0);
            Unique(r.Identity, r.FileId);
            AlsoAt(r.AlsoAt);
            return _bytes.AsSpan(0, Length);
        }

        /// <summary>At most the bytes <see cref="Record"/> writes: every fixed-size field at its largest, texts as their UTF-16 units.</summary>
        private static int MostBytes(DataRecord r)
        {
            const int Fixed = 512; // 20 single-byte markers, 11 counts (5 bytes at most), 14 numbers and times (17 bytes at most)
            var alsoAt = r.AlsoAt?.Count ?? 0;
            var units = r.FileId.Length + (r.DownloadUrl?.Length ?? 0) + (r.ThumbnailUrl?.Length ?? 0) + (r.Identity?.Length ?? 0) + (r.Sky?.Region?.Length ?? 0);
            for (var i = 0; i < alsoAt; i++) units += r.AlsoAt![i].FileId.Length;
            return Fixed + alsoAt * 12 + units * sizeof(char);
        }

        private void Extent(Extent? extent)
        {
            Byte(extent is null ? (byte)0 : (byte)1);
            if (extent is null) return;
            foreach (var text in (ReadOnlySpan<string?>)[extent.X, extent.Y, extent.Width, extent.Length, extent.Type]) Repeated(text, Slot.ExtentText);
        }

        private void Sky(SkyCoverage? sky)
        {
            Byte(sky is null ? (byte)0 : (byte)1);
            if (sky is null) return;
            Number(sky.Ra);
            Number(sky.Dec);
            Number(sky.FovDeg);
            Unique(sky.Region, null);
            Number(sky.ResolutionArcsec);
            Integer(sky.Xel1);
            Integer(sky.Xel2);
        }

        private void AlsoAt(IReadOnlyList<RecordAlternative>? alsoAt)
        {
            Count(alsoAt is null ? 0 : alsoAt.Count + 1);
            if (alsoAt is null) return;
            foreach (var alternative in alsoAt)
            {
                Repeated(alternative.Provider, Slot.AlsoAtProvider);
                Unique(alternative.FileId, null);
            }
        }

        /// <summary>A text that differs record by record (file ids, URLs, regions): inline, or a reference to the file id.</summary>
        private void Unique(string? text, string? fileId)
        {
            if (text is null) Byte((byte)Text.Null);
            else if (fileId is not null && text == fileId) Byte((byte)Text.SameAsFileId);
            else
            {
                Byte((byte)Text.Inline);
                var bytes = MemoryMarshal.AsBytes(text.AsSpan());
                Count(bytes.Length);
                bytes.CopyTo(_bytes.AsSpan(Length));
                Length += bytes.Length;
            }
        }

        /// <summary>A text results repeat (provider, instrument, collection ...): stored once, then referenced by index.</summary>
        private void Repeated(string? text, Slot slot)
        {
            if (text is null)
            {
                Byte((byte)Text.Null);
                return;
            }
            var s = (int)slot;
            if (!ReferenceEquals(text, _last[s]))
            {
                if (!_index.TryGetValue(text, out var index))
                {
                    index = _texts.Count;
                    _index.Add(text, index);
                    _texts.Add(text);
                }
                _last[s] = text;
                _lastIndex[s] = index;
            }
            Byte((byte)Text.Repeated);
            Count(_lastIndex[s]);
        }

        private void Time(DateTimeOffset? time)
        {
            Byte(time is null ? (byte)0 : (byte)1);
            if (time is not { } t) return;
            Long(t.Ticks);
            Long(t.Offset.Ticks);
        }

        private void Number(double? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is { } v) Long(BitConverter.DoubleToInt64Bits(v));
        }

        private void Integer(long? value)
        {
            Byte(value is null ? (byte)0 : (byte)1);
            if (value is { } v) Long(v);
        }

        private void Long(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_bytes.AsSpan(Length), value);
            Length += sizeof(long);
        }

        /// <summary>A non-negative count or index, 7 bits a byte.</summary>
        private void Count(int value)
        {
            var v = (uint)value;
            while (v >= 0x80)
            {
                _bytes[Length++] = (byte)(v | 0x80);
                v >>= 7;
            }
            _bytes[Length++] = (byte)v;
        }

        private void Byte(byte value)
        {
            _bytes[Length++] = value;
        }

        private void Reserve(int bytes)
        {
            if (Length + bytes <= _bytes.Length) return;
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + bytes));
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes, string[] texts)
    {
        private ReadOnlySpan<byte> _rest = bytes;
        private string? _fileId;

        /// <summary>The file id (the first field), without building the record.</summary>
        public ReadOnlySpan<char> FileId()
        {
            _rest = _rest[1..]; // always Inline: a record has a file id
            var length = Count();
            return MemoryMarshal.Cast<byte, char>(_rest[..length]);
        }

        public DataRecord Record()
        {
            _fileId = Unique()!;
            return new DataRecord
            {
                FileId = _fileId,
                Provider = Repeated()!,
                Source = Repeated(),
                Instrument = Repeated(),
                Detector = Repeated(),
                Physobs = Repeated(),
                Level = Repeated(),
                Start = Time(),
                End = Time(),
                WaveMin = Number(),
                WaveMax = Number(),
                WaveType = Repeated(),
                Extent = Extent(),
                Sky = Sky(),
                SizeKb = Number(),
                Info = Repeated(),
                DataType = Repeated(),
                DownloadUrl = Unique(),
                ContentType = Repeated(),
                ThumbnailUrl = Unique(),
                Restricted = Byte() == 1,
                Identity = Unique(),
                AlsoAt = AlsoAt(),
            };
        }

        private Extent? Extent() => Byte() == 0 ? null : new Extent(Repeated(), Repeated(), Repeated(), Repeated(), Repeated());

        private SkyCoverage? Sky() => Byte() == 0 ? null : new SkyCoverage
        {
            Ra = Number(), Dec = Number(), FovDeg = Number(), Region = Unique(), ResolutionArcsec = Number(), Xel1 = Integer(), Xel2 = Integer(),
        };

        private List<RecordAlternative>? AlsoAt()
        {
            var count = Count() - 1;
            if (count < 0) return null;
            var list = new List<RecordAlternative>(count);
            for (var i = 0; i < count; i++) list.Add(new RecordAlternative(Repeated()!, Unique()!));
            return list;
        }

        private string? Unique()
        {
            switch ((Text)Byte())
            {
                case Text.Null: return null;
                case Text.SameAsFileId: return _fileId;
                default:
                    var length = Count();
                    var text = new string(MemoryMarshal.Cast<byte, char>(_rest[..length]));
                    _rest = _rest[length..];
                    return text;
            }
        }

        private string? Repeated() => (Text)Byte() == Text.Null ? null : texts[Count()];

        private DateTimeOffset? Time()
        {
            if (Byte() == 0) return null;
            var ticks = Long();
            return new DateTimeOffset(ticks, TimeSpan.FromTicks(Long()));
        }

        private double? Number() => Byte() == 0 ? null : BitConverter.Int64BitsToDouble(Long());

        private long? Integer() => Byte() == 0 ? null : Long();

        private long Long()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
            _rest = _rest[sizeof(long)..];
            return value;
        }

        private int Count()
        {
            uint value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Byte();
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80) return (int)value;
            }
        }

        private byte Byte()
        {
            var b = _rest[0];
            _rest = _rest[1..];
            return b;
        }
    }
}
