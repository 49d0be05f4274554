using System.Text;
using Broker.VoTable;

namespace Broker.VoTable.Tests.Helpers;

internal static class TableIo
{
    public static async Task<byte[]> WriteAsync(ITableWriter writer, MemoryStream ms, IEnumerable<object?[]> rows, bool overflow = false)
    {
        foreach (var r in rows) await writer.WriteRowAsync(r);
        await writer.CompleteAsync(overflow);
        return ms.ToArray();
    }

    public static async Task<byte[]> WriteVoTableAsync(IReadOnlyList<TableField> fields, IEnumerable<object?[]> rows,
        VoTableSerialization serialization, bool overflow = false, TableWriterOptions? options = null)
    {
        var ms = new MemoryStream();
        await using var writer = new VoTableWriter(ms, fields, serialization, options);
        return await WriteAsync(writer, ms, rows, overflow);
    }

    public static async Task<List<object?[]>> ReadAllAsync(ITableReader reader)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync()) rows.Add((object?[])reader.Current.Clone());
        return rows;
    }

    public static async Task<(VoTableReader Reader, List<object?[]> Rows)> ReadVoTableAsync(byte[] bytes)
    {
        var reader = await VoTableReader.OpenAsync(new NonSeekableStream(bytes));
        var rows = await ReadAllAsync(reader);
        return (reader, rows);
    }

    public static Task<(VoTableReader Reader, List<object?[]> Rows)> ReadVoTableAsync(string xml) =>
        ReadVoTableAsync(Encoding.UTF8.GetBytes(xml));

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
