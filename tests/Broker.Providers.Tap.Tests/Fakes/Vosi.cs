namespace Broker.Providers.Tap.Tests.Fakes;

/// <summary>VOSI documents for the fake server.</summary>
public static class Vosi
{
    public static readonly string[] SoarItemColumns =
        ["data_item_oid", "data_item_id", "instrument", "descriptor", "level", "begin_time", "end_time", "filesize", "filename", "soop_name", "sensor", "is_active"];

    public static readonly string[] SoarFitsColumns = ["data_item_oid", "detector", "wavelength", "wavemin", "wavemax", "dimension_index"];

    /// <summary>A tableset (VODataService 1.1 with the vs prefix on nothing but the root's namespace declarations).</summary>
    public static string Tableset(params (string Schema, string Table, string[] Columns)[] tables)
    {
        var schemas = tables.GroupBy(t => t.Schema).Select(g =>
            $"<schema><name>{g.Key}</name>" + string.Concat(g.Select(t =>
                $"<table type=\"view\"><name>{t.Schema}.{t.Table}</name>" +
                string.Concat(t.Columns.Select(c => $"<column><name>{c}</name><dataType xsi:type=\"vs:VOTableType\">char</dataType></column>")) +
                "</table>")) + "</schema>");
        return "<?xml version=\"1.0\"?><vosi:tableset xmlns:vosi=\"http://www.ivoa.net/xml/VOSITables/v1.0\" " +
               "xmlns:vs=\"http://www.ivoa.net/xml/VODataService/v1.1\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" +
               string.Concat(schemas) + "</vosi:tableset>";
    }

    public static string SoarTableset(Func<string, string[], string[]>? edit = null)
    {
        edit ??= (_, c) => c;
        (string, string, string[])[] tables =
        [
            ("soar", "v_sc_data_item", edit("v_sc_data_item", SoarItemColumns)),
            ("soar", "v_ll_data_item", edit("v_ll_data_item", SoarItemColumns)),
            .. new[] { "eui", "met", "spi", "phi", "shi" }.Select(i => ("soar", $"v_{i}_sc_fits", edit($"v_{i}_sc_fits", SoarFitsColumns))),
        ];
        return Tableset(tables);
    }

    public static string Availability(bool available, string? note = null) =>
        "<avail:availability xmlns:avail=\"http://www.ivoa.net/xml/VOSIAvailability/v1.0\">" +
        $"<avail:available>{(available ? "true" : "false")}</avail:available>" +
        (note is null ? "" : $"<avail:note>{note}</avail:note>") + "</avail:availability>";

    public static string Capabilities(bool binary2) =>
        "<vosi:capabilities xmlns:vosi=\"http://www.ivoa.net/xml/VOSICapabilities/v1.0\" xmlns:tr=\"http://www.ivoa.net/xml/TAPRegExt/v1.0\" " +
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><capability standardID=\"ivo://ivoa.net/std/TAP\" xsi:type=\"tr:TableAccess\">" +
        "<outputFormat ivo-id=\"ivo://ivoa.net/std/TAPRegExt#output-votable-td\"><mime>application/x-votable+xml</mime></outputFormat>" +
        (binary2 ? "<outputFormat ivo-id=\"ivo://ivoa.net/std/TAPRegExt#output-votable-binary2\"><mime>application/x-votable+xml;serialization=BINARY2</mime></outputFormat>" : "") +
        "</capability></vosi:capabilities>";
}
