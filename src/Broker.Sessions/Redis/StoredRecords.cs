using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Broker.Core.Model;

namespace Broker.Sessions.Redis;

/// <summary>
/// The stored form of records: each record's JSON and the SHA-256 of that JSON, computed once per record object
/// (records served from the shared answer cache are the same objects search after search), and the content key of a
/// stored result, which names the one shared copy of those records in Redis.
/// </summary>
internal static class StoredRecords
{
    /// <summary>A record's stored JSON and its hash.</summary>
    internal sealed record Stored(string Json, byte[] Hash);

    // Weak keys: an entry lives exactly as long as its record object, so the memo never outgrows the caches holding records.
    private static readonly ConditionalWeakTable<DataRecord, Stored> Memo = new();
    private static readonly ConditionalWeakTable<DataRecord, Stored>.CreateValueCallback Render = record =>
    {
        var json = SessionJson.Write(record);
        return new Stored(json, SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    };

    /// <summary>The record's stored JSON (memoized per record object).</summary>
    public static Stored Of(DataRecord record) => Memo.GetValue(record, Render);

    /// <summary>
    /// The content key of the first <paramref name="count"/> records: SHA-256 over the count and every record's JSON
    /// hash, in order, as 64 lower-case hex digits. Equal keys mean byte-for-byte equal stored records (any field, not
    /// just the identity, changes the key), so a shared copy is never served for a result that differs from it.
    /// </summary>
    public static string ContentKey(IReadOnlyList<DataRecord> records, int count)
    {
        // One hash over a buffer of the per-record hashes: a repeated 500-record result costs one 16 kB SHA-256.
        var length = sizeof(int) + count * SHA256.HashSizeInBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer, count); // fixed byte order: every instance derives the same key
            for (var i = 0; i < count; i++) Of(records[i]).Hash.CopyTo(buffer, sizeof(int) + i * SHA256.HashSizeInBytes);
            return Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
