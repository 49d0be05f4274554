using Broker.VoTable;

namespace Broker.Providers.Tap.Tests.Fakes;

/// <summary>Builds result documents with the real VOTable/CSV/JSON writers.</summary>
public static class Tables
{
    public static TableField Text(string name) => new(name, "char", "*");
    public static TableField Long(string name) => new(name, "long");
    public static TableField Double(string name) => new(name, "double");

    public static Answer Result(IReadOnlyList<TableField> fields, IEnumerable<object?[]> rows,
        TableFormat format = TableFormat.VoTable, bool overflow = false)
    {
        var stream = new MemoryStream();
        var writer = TableWriters.Create(format, stream, fields);
        foreach (var row in rows) writer.WriteRowAsync(row).AsTask().GetAwaiter().GetResult();
        writer.CompleteAsync(overflow).AsTask().GetAwaiter().GetResult();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new Answer(200, writer.ContentType, stream.ToArray());
    }

    public static Answer Empty(params string[] columns) => Result(columns.Select(Text).ToList(), []);

    public static Answer Error(string message, int status = 200) =>
        new(status, "application/x-votable+xml", VoTableWriter.CreateErrorDocument(message));
}
