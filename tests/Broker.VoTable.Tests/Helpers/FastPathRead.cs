namespace Broker.VoTable.Tests.Helpers;

/// <summary>
/// Reads a VOTable with the reader's direct scanners on or off (TABLEDATA and base64 STREAM fast paths), through a
/// non-seekable stream, so that scanner tests can compare the two paths row by row.
/// </summary>
internal static class FastPathRead
{
    /// <summary>The rows read (cloned), the reader, and the <see cref="TableFormatException"/> that stopped it, if any.</summary>
    public static async Task<(List<object?[]> Rows, VoTableReader? Reader, Exception? Error)> ReadAsync(byte[] bytes, bool fast, int chunk = 1000)
    {
        var rows = new List<object?[]>();
        VoTableReader? reader = null;
        try
        {
            reader = await VoTableReader.OpenAsync(new NonSeekableStream(bytes, chunk), fast, CancellationToken.None);
            while (await reader.ReadAsync()) rows.Add((object?[])reader.Current.Clone());
            return (rows, reader, null);
        }
        catch (TableFormatException e)
        {
            return (rows, reader, e);
        }
    }

    public static void AssertSameRows(List<object?[]> expected, List<object?[]> actual, string context)
    {
        Assert.True(expected.Count == actual.Count, $"{context}: {expected.Count} rows expected, {actual.Count} read");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(expected[i].SequenceEqual(actual[i]), $"{context}: row {i} differs: [{string.Join("|", expected[i])}] vs [{string.Join("|", actual[i])}]");
    }
}
