using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Broker.EndToEnd.Tests.Soap;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// ADQL geometry through the broker's TAP service over the real federation: the ObsCore simulator ("sdo") gives the
/// Sun's position per record (every tenth without one), the SOAR-like and SOAP providers give none. Expected records
/// are computed here with the haversine formula from the positions the service itself lists.
/// </summary>
public sealed partial class TapServiceTests
{
    // 2022-03-16 to 2022-03-26 in MJD (about 180 ObsCore records; the Sun moves about 1° a day).
    private const string ObsWindow = "t_max >= 59654.0 AND t_min <= 59664.0";
    private const string RecordsWindow = "time_end >= '2022-03-16T00:00:00' AND time_start <= '2022-03-26T00:00:00'";

    private sealed record Placed(string Id, double? Ra, double? Dec, string? Region);

    private async Task<List<Placed>> ObsCoreRowsAsync()
    {
        var csv = await Http.GetStringAsync(Sync($"SELECT obs_id, s_ra, s_dec, s_region FROM ivoa.obscore WHERE {ObsWindow} AND obs_collection = 'sdo'", "&FORMAT=csv&MAXREC=100000"));
        static double? Number(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
        return csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(','))
            .Select(c => new Placed(c[0], Number(c[1]), Number(c[2]), c[3].Length == 0 ? null : c[3].Trim('"'))).ToList();
    }

    private static double Haversine(double ra1, double dec1, double ra2, double dec2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(dec2 - dec1) / 2), 2) + Math.Cos(Rad(dec1)) * Math.Cos(Rad(dec2)) * Math.Pow(Math.Sin(Rad(ra2 - ra1) / 2), 2);
        return 2 * Math.Asin(Math.Sqrt(h)) * 180 / Math.PI;
    }

    private async Task<List<string>> ObsIdsAsync(string condition)
    {
        var doc = await VoTableAsync(Sync($"SELECT obs_id FROM ivoa.obscore WHERE {ObsWindow} AND obs_collection = 'sdo' AND {condition}", "&MAXREC=100000"));
        return Rows(doc).Select(r => r[0]).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task ContainsAndDistance_ReturnExactlyTheRecordsNearAPosition()
    {
        var rows = await ObsCoreRowsAsync();
        var placed = rows.Where(r => r.Ra is not null).ToList();
        Assert.True(placed.Count > 20 && placed.Count < rows.Count, $"{placed.Count} of {rows.Count} rows have positions");
        // Around the position of the middle record: a degree holds about two days of the ten.
        var centre = placed.OrderBy(r => r.Id, StringComparer.Ordinal).ElementAt(placed.Count / 2);
        var (ra, dec, radius) = (centre.Ra!.Value, centre.Dec!.Value, 1.0);
        var distances = placed.ToDictionary(r => r.Id, r => Haversine(ra, dec, r.Ra!.Value, r.Dec!.Value));
        Assert.True(distances.Values.All(d => Math.Abs(d - radius) > 1e-7), "a record lies on the circle's edge; pick another radius");
        var expected = distances.Where(d => d.Value < radius).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(expected.Count, 2, placed.Count - 2);
        var point = string.Create(CultureInfo.InvariantCulture, $"POINT('ICRS', {ra:R}, {dec:R})");

        Assert.Equal(expected, await ObsIdsAsync(string.Create(CultureInfo.InvariantCulture, $"CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', {ra:R}, {dec:R}, {radius:R})) = 1")));
        Assert.Equal(expected, await ObsIdsAsync($"DISTANCE(POINT('ICRS', s_ra, s_dec), {point}) < {radius.ToString(CultureInfo.InvariantCulture)}"));
        var outside = await ObsIdsAsync(string.Create(CultureInfo.InvariantCulture, $"CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', {ra:R}, {dec:R}, {radius:R})) = 0"));
        Assert.Equal(placed.Count - expected.Count, outside.Count); // records without a position are neither inside nor outside

        var measured = Rows(await VoTableAsync(Sync($"SELECT obs_id, DISTANCE(POINT('ICRS', s_ra, s_dec), {point}) AS d FROM ivoa.obscore WHERE {ObsWindow} AND obs_collection = 'sdo'", "&MAXREC=100000")));
        Assert.All(measured.Where(m => m[1].Length > 0), m => Assert.Equal(distances[m[0]], double.Parse(m[1], CultureInfo.InvariantCulture), 9));
        Assert.Equal(rows.Count - placed.Count, measured.Count(m => m[1].Length == 0));
    }

    [Fact]
    [Trait("Category", "Compat")]
    public async Task Pyvo_GeometryQuery_ReturnsExactlyTheRecordsNearAPosition()
    {
        var placed = (await ObsCoreRowsAsync()).Where(r => r.Ra is not null).ToList();
        var centre = placed.OrderBy(r => r.Id, StringComparer.Ordinal).ElementAt(placed.Count / 3);
        var expected = placed.Where(r => Haversine(centre.Ra!.Value, centre.Dec!.Value, r.Ra!.Value, r.Dec!.Value) < 0.7)
            .Select(r => (SoapFederationFixture.Tap, r.Id)).Order().ToList();
        Assert.InRange(expected.Count, 2, placed.Count - 2);
        var query = string.Create(CultureInfo.InvariantCulture,
            $"SELECT provider, fileid FROM vso.records WHERE {RecordsWindow} AND CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', {centre.Ra!.Value:R}, {centre.Dec!.Value:R}, 0.7)) = 1");

        var run = await PythonClient.RunAsync("tap_pyvo.py", TapUrl, query);

        foreach (var call in new[] { "search", "run_async", "submit_job" })
            Assert.Equal(expected, run.Line("call", call).GetProperty("records").EnumerateArray().Select(r => (r[0].GetString()!, r[1].GetString()!)).Order().ToList());
        var infos = run.Line("call", "search").GetProperty("infos").EnumerateArray().Select(i => (i[0].GetString(), i[1].GetString())).ToList();
        Assert.Contains(("no_sky_position", "soar"), infos);
    }

    [Fact]
    public async Task Footprints_StcsSquaresAndCirclesAreEvaluated()
    {
        var rows = await ObsCoreRowsAsync();
        var withRegion = rows.Where(r => r.Region is not null).ToList();
        // 0.31° north of each record's own centre: inside AIA's square (half side 0.341°), outside HMI's circle (radius 0.284°).
        var squares = withRegion.Where(r => r.Region!.StartsWith("POLYGON", StringComparison.Ordinal)).Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.InRange(squares.Count, 1, withRegion.Count - 1);

        Assert.Equal(squares, await ObsIdsAsync("CONTAINS(POINT('ICRS', s_ra, s_dec + 0.31), s_region) = 1"));
        // 0.25° east (on the sky: RA offset / cos dec, dec within 3° of the equator here): inside both shapes.
        Assert.Equal(withRegion.Select(r => r.Id).Order(StringComparer.Ordinal), await ObsIdsAsync("CONTAINS(POINT('ICRS', s_ra + 0.25, s_dec), s_region) = 1"));
        Assert.Equal(withRegion.Select(r => r.Id).Order(StringComparer.Ordinal), await ObsIdsAsync("INTERSECTS(CIRCLE('ICRS', s_ra + 0.7, s_dec, 0.5), s_region) = 1")); // 0.36° from the square, 0.70° from the circle's centre
        Assert.Empty(await ObsIdsAsync("INTERSECTS(CIRCLE('ICRS', s_ra + 1.2, s_dec, 0.5), s_region) = 1"));
    }

    [Fact]
    public async Task Geometry_NamesTheProvidersWhoseRecordsHaveNoPosition()
    {
        var doc = await VoTableAsync(Sync($"SELECT provider, fileid FROM vso.records WHERE {RecordsWindow} AND CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 0, 0, 10)) = 1", "&MAXREC=100000"));

        var missing = doc.Root!.Element(Vot + "RESOURCE")!.Elements(Vot + "INFO").Where(i => (string?)i.Attribute("name") == "no_sky_position")
            .ToDictionary(i => (string)i.Attribute("value")!, i => i.Value);
        Assert.Contains("publishes none", missing["soar"]);
        Assert.Contains("publishes none", missing["legacy"]);
        Assert.Contains("s_ra, s_dec and s_region are null", missing["sdo"]);
        Assert.Contains("not because they lie outside", missing["sdo"]);
        Assert.All(Rows(doc), r => Assert.Equal("sdo", r[0]));
        Assert.NotEmpty(Rows(doc));
    }

    [Fact]
    public async Task GeometryOnAColumnWithoutPositions_IsAClearErrorNamingItsPosition()
    {
        using var response = await Http.GetAsync(Sync($"SELECT provider FROM vso.records WHERE {Window}\n  AND CONTAINS(POINT('ICRS', wavemin, wavemax), CIRCLE('ICRS', 10, 20, 1)) = 1"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = ErrorMessage(XDocument.Parse(await response.Content.ReadAsStringAsync()));
        Assert.StartsWith("CONTAINS at line 2, column 7: 'wavemin' (line 2, column 30) of vso.records is not a sky position", error);
    }

    [Fact]
    public async Task PositionWithoutTimeRange_IsRefusedSayingWhatToAdd()
    {
        using var response = await Http.GetAsync(Sync("SELECT obs_id FROM ivoa.obscore WHERE CONTAINS(POINT('ICRS', s_ra, s_dec), CIRCLE('ICRS', 0, 0, 1)) = 1 ORDER BY t_min"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = ErrorMessage(XDocument.Parse(await response.Content.ReadAsStringAsync()));
        Assert.Contains("does not narrow the search", error);
        Assert.Contains("WHERE t_max >= 59659.0 AND t_min <= 59660.0", error);
    }
}
