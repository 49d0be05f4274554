using System.Globalization;
using Broker.Adql;
using Broker.Core.Model;
using Broker.TapService.Schema;
using Broker.VoTable;

namespace Broker.TapService.Query;

/// <summary>
/// What geometry in a TAP query may use and what it cannot see. Geometry is evaluated on the merged records (never sent
/// to providers, never narrowing the fan-out); it works on the sky columns (s_ra, s_dec, s_region, and sizes in
/// degrees). Records whose provider gives no position are neither inside nor outside any region: the answer says so,
/// per provider, so that a missing row reads as "no position known", not as "outside".
/// </summary>
internal static class SkyPositions
{
    /// <summary>Rejects geometry over a column that holds no sky coordinate or region, naming the column and where it is.</summary>
    /// <exception cref="TapQueryException">A geometry function's argument uses such a column.</exception>
    public static void CheckColumns(IReadOnlyList<GeometryCalls.Call> calls, IReadOnlyList<TapTable> tables)
    {
        foreach (var call in calls)
        {
            foreach (var name in call.Columns)
            {
                var column = tables.Select(t => (Table: t, Column: t.Find(name.Name))).FirstOrDefault(x => x.Column is not null);
                if (column.Column is null || IsSky(column.Column)) continue;
                var f = call.Function;
                throw new TapQueryException(
                    $"{f.Name} at line {f.Line}, column {f.Column}: '{name.Name}' (line {name.Line}, column {name.Column}) of {column.Table.Name} is not a sky position; " +
                    "geometry functions work on the ICRS positions s_ra, s_dec and s_region of vso.records and ivoa.obscore (and on sizes in degrees such as s_fov)");
            }
        }
    }

    private static bool IsSky(TapColumn c) =>
        c.Unit is "deg" or "arcsec" || string.Equals(c.Xtype, "adql:REGION", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when geometry can place the record: it has a centre or a footprint.</summary>
    public static bool HasPosition(DataRecord r) => r.Sky is { } s && (s.HasPosition || s.Region is not null);

    /// <summary>One INFO per provider some of whose records have no position: geometry gives null for them, so a condition drops them.</summary>
    public static IEnumerable<VoTableInfo> Missing(IReadOnlyList<DataRecord> records) => records
        .GroupBy(r => r.Provider, StringComparer.Ordinal)
        .Select(g => (Provider: g.Key, Total: g.Count(), Without: g.Count(r => !HasPosition(r))))
        .Where(p => p.Without > 0)
        .OrderBy(p => p.Provider, StringComparer.Ordinal)
        .Select(p => new VoTableInfo("no_sky_position", p.Provider,
            string.Create(CultureInfo.InvariantCulture, $"{p.Without} of the {p.Total} records {p.Provider} returned for this query have no sky position ") +
            (p.Without == p.Total ? "(this provider publishes none)" : "(s_ra, s_dec and s_region are null)") +
            ": geometry functions are null for them, so a geometry condition leaves them out because their position is unknown, not because they lie outside"));
}
