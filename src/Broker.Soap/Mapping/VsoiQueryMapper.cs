using Broker.Core.Model;
using Broker.Core.Search;
using Broker.Core.Units;
using Broker.Core.Validation;
using Broker.Soap.Contracts;
using Broker.Soap.Messages;

namespace Broker.Soap.Mapping;

/// <summary>Maps VSOi Query messages to the broker's query model and search results back to VSOi.</summary>
public static class VsoiQueryMapper
{
    /// <summary>The caller's text of a QueryRequestBlock as a <see cref="QueryBlockInput"/> (validated by the normalizer).</summary>
    public static QueryBlockInput ToInput(QueryRequestBlock block) => new()
    {
        Start = block.Time?.Start,
        End = block.Time?.End,
        Near = block.Time?.Near,
        Provider = block.Provider,
        Source = block.Source,
        Instrument = block.Instrument,
        Detector = block.Detector,
        Physobs = block.Physobs,
        Level = block.Level,
        WaveMin = block.Wave?.WaveMin,
        WaveMax = block.Wave?.WaveMax,
        WaveUnit = block.Wave?.WaveUnit,
        WaveType = block.Wave?.WaveType,
        ExtentX = block.Extent?.X,
        ExtentY = block.Extent?.Y,
        ExtentWidth = block.Extent?.Width,
        ExtentLength = block.Extent?.Length,
        ExtentType = block.Extent?.Type,
        Pixels = block.Pixels,
        Resolution = block.Resolution,
        // IDL always sends <sample>0</sample>: zero means "every record", i.e. no sampling asked.
        Sample = IsZero(block.Sample) ? null : block.Sample,
        Filter = block.Filter,
    };

    /// <summary>
    /// Block elements the broker's query model has no place for (quicklook, pscale/pixelscale, and IDL's dark,
    /// eclipse, exptime, percentd, datatype ...). A neutral value (empty, 0, false, as IDL always sends) means
    /// "not asked"; any other value is a filter no provider would apply, so it is refused rather than silently
    /// ignored (the REST door refuses unknown parameters the same way).
    /// </summary>
    public static IReadOnlyList<QueryError> UnsupportedFilters(QueryRequestBlock block)
    {
        var errors = new List<QueryError>();
        void Check(string name, string? value)
        {
            if (!IsNeutral(value))
                errors.Add(new QueryError(name, $"'{value}' asks for a filter this broker cannot apply ({name} is not supported); leave it out or send 0"));
        }
        Check("quicklook", block.Quicklook);
        Check("pscale", block.PScale);
        foreach (var (name, value) in block.Extras) Check(name, value);
        return errors;
    }

    private static bool IsNeutral(string? text) =>
        string.IsNullOrWhiteSpace(text) || IsZero(text) || text.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool IsZero(string? text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v == 0;

    /// <summary>
    /// One ProviderQueryResponse per provider of the search — asked or skipped — with that provider's records from the
    /// merged result and, in <c>error</c>, why it failed or was skipped or that its answer was cut (sunpy prints it);
    /// at least one item, so that an empty answer still parses in sunpy.
    /// </summary>
    public static QueryResponse ToResponse(SearchResult result, QueryRequestBlock? request = null)
    {
        var thumbnails = request?.Field?.FieldItems.Any(f => f.Equals("thumbnail", StringComparison.OrdinalIgnoreCase)) == true;
        var byProvider = result.Records.GroupBy(r => r.Provider, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => ToBlock(r, thumbnails)).ToList(), StringComparer.Ordinal);
        var items = new List<ProviderQueryResponse>();
        foreach (var outcome in result.Providers)
        {
            var records = byProvider.Remove(outcome.ProviderId, out var list) ? list : [];
            // The real count where known (a COUNT(*), the provider's own count), so a cut answer says how much more exists.
            var found = Math.Max(outcome.Found ?? outcome.TotalAvailable ?? outcome.RecordCount, records.Count);
            items.Add(new ProviderQueryResponse
            {
                Provider = outcome.ProviderId,
                NoOfRecordsFound = found,
                NoOfRecordsReturned = records.Count,
                Records = records,
                Status = StatusText(outcome.Status),
                Error = Warning(outcome, records.Count, found),
            });
        }
        // Records whose provider has no status line (should not happen) still reach the caller.
        foreach (var (provider, records) in byProvider)
            items.Add(new ProviderQueryResponse { Provider = provider, NoOfRecordsFound = records.Count, NoOfRecordsReturned = records.Count, Records = records, Status = "OK" });
        if (items.Count == 0)
            items.Add(new ProviderQueryResponse { Provider = "VSO", NoOfRecordsFound = 0, NoOfRecordsReturned = 0, Status = "EMPTY" });
        return new QueryResponse(items);
    }

    /// <summary>
    /// The text sunpy prints as a warning for a provider (its VSOClient warns on every provideritem's
    /// <c>error</c>): why a provider failed or was skipped, or that its answer was cut. Null for a complete answer.
    /// </summary>
    private static string? Warning(ProviderOutcome outcome, int returned, long found)
    {
        if (outcome.Status == ProviderStatus.Skipped)
        {
            var reason = outcome.Message ?? "not asked";
            return $"{outcome.ProviderId}: {(reason.StartsWith("skipped", StringComparison.Ordinal) ? reason : "skipped: " + reason)}";
        }
        if (outcome.Status is not (ProviderStatus.Ok or ProviderStatus.Empty))
            return $"{outcome.ProviderId}: {outcome.Message ?? outcome.Status.ToString().ToLowerInvariant()}";
        if (!outcome.Truncated && returned >= outcome.RecordCount) return null;
        var total = outcome.Truncated && outcome.TotalAvailable is null ? $"at least {found}" : found.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{outcome.ProviderId}: the answer was cut: {returned} of {total} matching records returned; narrow the search to get the rest";
    }

    /// <summary>
    /// The answer to a query that cannot run (invalid input, no provider can answer it): one provideritem with the
    /// reason in <c>error</c> and no <c>provider</c> — the VSO core's convention, which sunpy prints as a warning
    /// (a SOAP Fault would only land in its <c>errors</c> list, unprinted).
    /// </summary>
    public static QueryResponse ErrorResponse(string message) =>
        new([new ProviderQueryResponse { NoOfRecordsFound = 0, NoOfRecordsReturned = 0, Error = message, Status = "ERROR" }]);

    /// <summary>The wire status of a provider outcome.</summary>
    public static string StatusText(ProviderStatus status) => status switch
    {
        ProviderStatus.Ok => "OK",
        ProviderStatus.Empty => "EMPTY",
        ProviderStatus.Timeout => "TIMEOUT",
        ProviderStatus.CircuitOpen => "CIRCUIT-OPEN",
        ProviderStatus.Skipped => "SKIPPED",
        ProviderStatus.Unauthorized => "UNAUTHORIZED",
        _ => "ERROR",
    };

    /// <summary>
    /// What a restricted record's <c>info</c> starts with: VSOi has no field for data rights, and <c>info</c> is the free
    /// text every VSO client shows (sunpy's "Info" column), so the mark travels there.
    /// </summary>
    public const string RestrictedInfo = "restricted: not public, seen and downloaded with credentials";

    /// <summary>A broker record as a VSOi recorditem: provider = the broker's provider id (GetData routes back by it).</summary>
    public static QueryResponseBlock ToBlock(DataRecord r, bool withThumbnail = false)
    {
        var start = r.Start ?? r.End;
        var end = r.End ?? r.Start;
        return new QueryResponseBlock
        {
            Provider = r.Provider,
            Source = r.Source,
            Instrument = r.Instrument,
            Physobs = r.Physobs,
            Detector = r.Detector,
            Time = new VsoTime(start is { } s ? SolarTime.ToVso(s) : null, end is { } e ? SolarTime.ToVso(e) : null),
            Wave = r.WaveMin is { } min
                ? new VsoWave(XmlOut.Number(min), XmlOut.Number(r.WaveMax ?? min), WaveUnit.Angstrom.Name, r.WaveType)
                : null,
            Extent = r.Extent is { IsEmpty: false } x ? new VsoExtent(x.X, x.Y, x.Width, x.Length, x.Type) : null,
            Size = r.SizeKb is { } kb && double.IsFinite(kb) ? kb : -1,
            Extra = withThumbnail && r.ThumbnailUrl is { } t ? new Extra(new Thumbnail(t, t)) : null,
            Info = r.Restricted ? (r.Info is { Length: > 0 } info ? RestrictedInfo + "; " + info : RestrictedInfo) : r.Info,
            DataType = r.DataType,
            FileUrl = r.DownloadUrl,
            FileId = r.FileId,
        };
    }
}
