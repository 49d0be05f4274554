using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Broker.Server.OpenApi;

/// <summary>
/// The query parameters of GET/HEAD /api/v1/search and GET /api/v1/search/stream, with type, format and example. The
/// handlers read the query string themselves (unknown names are refused), so the generator cannot see them.
/// </summary>
public static class SearchParameters
{
    private sealed record Parameter(string Name, JsonSchemaType Type, string? Format, string Example, string Description, IReadOnlyList<string>? Enum = null);

    private static readonly Parameter[] All =
    [
        new("start", JsonSchemaType.String, "date-time", "2022-03-21T08:00:00Z",
            "Start of the time range, UTC: ISO 8601 (a date alone is midnight) or VSO's YYYYMMDDHHMMSS. Required unless near is given."),
        new("end", JsonSchemaType.String, "date-time", "2022-03-21T12:00:00Z",
            "End of the time range, UTC (same forms as start). Records overlapping [start, end] match."),
        new("near", JsonSchemaType.String, "date-time", "2022-03-21T10:00:00Z", "A time the records should be nearest to (VSO's near)."),
        new("provider", JsonSchemaType.String, null, "SOAR", "Data provider name as VSO spells it (see /api/v1/vocabulary)."),
        new("source", JsonSchemaType.String, null, "SOLO", "Observatory or spacecraft (VSO source)."),
        new("instrument", JsonSchemaType.String, null, "EUI", "Instrument name; compared case-insensitively."),
        new("detector", JsonSchemaType.String, null, "FSI", "Detector or channel."),
        new("physobs", JsonSchemaType.String, null, "intensity", "Physical observable (VSO physobs)."),
        new("level", JsonSchemaType.String, null, "2", "Data processing level."),
        new("wavemin", JsonSchemaType.Number, "double", "17.1", "Lower end of the wavelength range, in waveunit."),
        new("wavemax", JsonSchemaType.Number, "double", "17.4", "Upper end of the wavelength range, in waveunit."),
        new("waveunit", JsonSchemaType.String, null, "nm",
            "Unit of wavemin/wavemax (default Angstrom); frequency and energy ranges swap ends.",
            ["Angstrom", "nm", "um", "mm", "cm", "m", "Hz", "kHz", "MHz", "GHz", "THz", "eV", "keV", "MeV"]),
        new("wavetype", JsonSchemaType.String, null, "narrow", "Wavelength type (VSO wavetype)."),
        new("extent.x", JsonSchemaType.String, null, "0", "Extent: x of the centre (arcsec)."),
        new("extent.y", JsonSchemaType.String, null, "0", "Extent: y of the centre (arcsec)."),
        new("extent.width", JsonSchemaType.String, null, "3000", "Extent: width (arcsec)."),
        new("extent.length", JsonSchemaType.String, null, "3000", "Extent: length (arcsec)."),
        new("extent.type", JsonSchemaType.String, null, "FULLDISK", "Extent type (FULLDISK, PARTIAL, CORONA …)."),
        new("pixels", JsonSchemaType.String, null, "2048", "Image size in pixels (VSO pixels)."),
        new("resolution", JsonSchemaType.String, null, "0.6", "Spatial resolution (VSO resolution)."),
        new("sample", JsonSchemaType.String, null, "60", "Sampling cadence in seconds (VSO sample)."),
        new("filter", JsonSchemaType.String, null, "Al_thick", "Filter name (VSO filter)."),
        new("limit", JsonSchemaType.Integer, "int32", "100", "Most records returned (Search:DefaultLimit when absent, at most Search:MaxLimit)."),
        new("format", JsonSchemaType.String, null, "json", "Answer format.", ["json", "csv"]),
        new("providers", JsonSchemaType.String, null, "soar,vso-sdo", "Ask only these provider ids (comma-separated)."),
    ];

    /// <summary>Describes the search parameters on this endpoint's operation.</summary>
    public static RouteHandlerBuilder WithSearchParameters(this RouteHandlerBuilder builder, bool withFormat = true) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var p in All.Where(p => withFormat || p.Name != "format"))
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = p.Name, In = ParameterLocation.Query, Required = false, Description = p.Description,
                    Schema = new OpenApiSchema
                    {
                        Type = p.Type, Format = p.Format,
                        Enum = p.Enum?.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
                    },
                    Example = p.Type is JsonSchemaType.String ? JsonValue.Create(p.Example)
                        : p.Type is JsonSchemaType.Integer ? JsonValue.Create(int.Parse(p.Example, System.Globalization.CultureInfo.InvariantCulture))
                        : JsonValue.Create(double.Parse(p.Example, System.Globalization.CultureInfo.InvariantCulture)),
                });
            return Task.CompletedTask;
        });
}
