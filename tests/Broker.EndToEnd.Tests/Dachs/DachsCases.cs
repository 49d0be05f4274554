using System.Globalization;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// The searches the DaCHS tests run, each with the reference condition per table that DaCHS itself counts. The
/// reference follows the documented rules, written out independently of the broker:
/// time — a record covers [begin, end), a query [start, end); they match when begin &lt; end(query) and
/// end(record) &gt; start; an instant query t matches begin ≤ t &lt; end; a record with begin = end matches when
/// start ≤ begin &lt; end(query); wavelength — the record's range overlaps the query's (bounds included), SOAR's
/// unitless columns in Å for EUI and PHI and in nm for METIS and SPICE, ObsCore's em_min/em_max in metres;
/// SOAR rows count only when active.
/// </summary>
public sealed record DachsCase(string Name, string GetQuery, object[]? Blocks, Func<string, string?> Where)
{
    public override string ToString() => Name;

    /// <summary>A day of data.</summary>
    public static readonly DateTime Day = new(2023, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>An hour boundary where many series have one file ending and the next beginning.</summary>
    public static readonly DateTime Boundary = Day.AddHours(6);

    /// <summary>Three months, more rows than DaCHS's MAXREC (20,000) and the broker's per-provider cap (10,000).</summary>
    public static readonly (DateTime Start, DateTime End) Months = (new(2023, 1, 15, 0, 0, 0, DateTimeKind.Utc), new(2023, 4, 15, 0, 0, 0, DateTimeKind.Utc));

    public static readonly DachsCase[] All =
    [
        Window("day", Day, Day.AddDays(1)),
        Window("ten-days", Day, Day.AddDays(10)),
        Window("months", Months.Start, Months.End),
        Window("instant-on-boundary", Boundary, Boundary),
        Window("empty-range", new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
        Filtered("instrument", "instrument=EUI", t => t == DachsFixture.Soar ? "instrument = 'EUI'" : "instrument_name = 'EUI'"),
        Filtered("level", "level=1", t => t == DachsFixture.Soar ? "\"level\" = 'L1'" : "calib_level = 1"),
        Filtered("wave-angstrom", "wavemin=170&wavemax=180&waveunit=Angstrom", t => Wave(t, 170, 180)),
        Filtered("wave-nm", "wavemin=600&wavemax=620&waveunit=nm", t => Wave(t, 6000, 6200)),
        // ObsCore has no detector column: a detector filter there is a "cannot filter" (skipped), never an empty answer.
        Filtered("detector", "detector=HRI_LYA", t => t == DachsFixture.Soar ? "detector = 'HRI_LYA'" : null),
        // Every SOAR row is Solar Orbiter's; the other table names it "Solar Orbiter" (the vocabulary's alias of SOLO).
        Filtered("source", "source=SOLO", t => t switch
        {
            DachsFixture.Soar => "1 = 1",
            DachsFixture.Other => "facility_name = 'Solar Orbiter'",
            _ => "facility_name = 'SOLO'",
        }),
        new("or", "", [Block(instrument: "EUI", waveMin: 300, waveMax: 310), Block(instrument: "PHI")], t =>
            $"{Time(t, Day, Day.AddDays(1))} AND (({Instrument(t, "EUI")} AND {Wave(t, 300, 310)}) OR {Instrument(t, "PHI")})"),
    ];

    /// <summary>The cases every way of asking (async, auto, JSON) repeats; sync runs all.</summary>
    public static readonly string[] Repeated = ["day", "months", "instant-on-boundary", "or"];

    /// <summary>The reference query: DaCHS's own COUNT(*) for this case on one table (null when the broker must skip it).</summary>
    public string? ReferenceAdql(string table)
    {
        var where = Where(table);
        if (where is null) return null;
        var from = table switch
        {
            DachsFixture.Soar => "brokertest.soar_data",
            DachsFixture.ObsCore => "ivoa.obscore",
            _ => "brokertest.obscore_other",
        };
        var active = table == DachsFixture.Soar ? " AND is_active = 'True'" : "";
        return $"SELECT COUNT(*) FROM {from} WHERE {where}{active}";
    }

    private static DachsCase Window(string name, DateTime start, DateTime end) =>
        new(name, $"start={Iso(start)}&end={Iso(end)}", null, t => Time(t, start, end));

    private static DachsCase Filtered(string name, string parameters, Func<string, string?> filter) =>
        new(name, $"start={Iso(Day)}&end={Iso(Day.AddDays(1))}&{parameters}", null,
            t => filter(t) is { } f ? $"{Time(t, Day, Day.AddDays(1))} AND {f}" : null);

    private static object Block(string instrument, double? waveMin = null, double? waveMax = null) => waveMin is null
        ? new { start = Iso(Day), end = Iso(Day.AddDays(1)), instrument }
        : new { start = Iso(Day), end = Iso(Day.AddDays(1)), instrument, wavemin = waveMin, wavemax = waveMax, waveunit = "Angstrom" };

    private static string Instrument(string table, string name) => table == DachsFixture.Soar ? $"instrument = '{name}'" : $"instrument_name = '{name}'";

    /// <summary>The time rule on one table's columns.</summary>
    private static string Time(string table, DateTime start, DateTime end)
    {
        var soar = table == DachsFixture.Soar;
        string b = soar ? "begin_time" : "t_min", e = soar ? "end_time" : "t_max";
        string L(DateTime t) => soar ? $"'{t:yyyy-MM-dd'T'HH:mm:ss}'" : DachsData.R(DachsData.Mjd(t));
        return start == end
            ? $"{b} <= {L(start)} AND {e} > {L(start)}"
            : $"{b} < {L(end)} AND ({e} > {L(start)} OR ({b} = {e} AND {b} >= {L(start)}))";
    }

    /// <summary>Overlap with [minÅ, maxÅ] in each table's units.</summary>
    private static string Wave(string table, double minAngstrom, double maxAngstrom)
    {
        if (table != DachsFixture.Soar)
            return $"em_min <= {DachsData.R(maxAngstrom * 1e-10)} AND em_max >= {DachsData.R(minAngstrom * 1e-10)}";
        return $"((instrument IN ('EUI', 'PHI') AND wavemin <= {N(maxAngstrom)} AND wavemax >= {N(minAngstrom)})" +
               $" OR (instrument IN ('METIS', 'SPICE') AND wavemin <= {N(maxAngstrom / 10)} AND wavemax >= {N(minAngstrom / 10)}))";
    }

    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
