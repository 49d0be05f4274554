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

    /// <summary>The columns a SOAR-profile search selects.</summary>
    public static readonly TableField[] SoarItemFields =
    [
        Text("data_item_id"), Text("instrument"), Text("descriptor"), Text("level"), Text("begin_time"), Text("end_time"),
        Long("filesize"), Text("filename"), Text("soop_name"), Text("sensor"),
    ];

    /// <summary>A SOAR-profile answer with one MAG file per id (all in 2022-01-01).</summary>
    public static Answer SoarItems(IEnumerable<string> ids, bool overflow = false) =>
        Result(SoarItemFields, ids.Select(id => new object?[]
        {
            id, "MAG", "mag-rtn-normal", "L2", "2022-01-01T00:00:00", "2022-01-01T01:00:00", 1024L, id + ".cdf", null, null,
        }), overflow: overflow);

    /// <summary>Answers COUNT(*) queries with <paramref name="count"/> (column n) and any other query with <paramref name="rows"/>.</summary>
    public static Func<Microsoft.AspNetCore.Http.HttpContext, RecordedRequest, Task> CountingOr(Answer rows, long count) =>
        (ctx, request) => request["QUERY"]!.Contains("COUNT(*)", StringComparison.OrdinalIgnoreCase)
            ? Result([Long("n")], [[count]]).WriteAsync(ctx)
            : rows.WriteAsync(ctx);

    /// <summary>Answers a query with an empty table having exactly the columns it selects (by name, or the profile's for SELECT *).</summary>
    public static Func<Microsoft.AspNetCore.Http.HttpContext, RecordedRequest, Task> EmptyForQuery(params string[] starColumns) =>
        (ctx, request) =>
        {
            var query = Broker.Adql.AdqlParser.Parse(request["QUERY"]!);
            var names = query.Items.OfType<Broker.Adql.ExpressionItem>()
                .Select(i => i.Alias?.Name ?? (i.Expression as Broker.Adql.ColumnRef)?.Name).OfType<string>()
                .Concat(query.Items.OfType<Broker.Adql.StarItem>().Any() ? starColumns : []);
            return Empty(names.Distinct().ToArray()).WriteAsync(ctx);
        };

    public static Answer Error(string message, int status = 200) =>
        new(status, "application/x-votable+xml", VoTableWriter.CreateErrorDocument(message));
}
