using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Units;
using Broker.Soap.Contracts;
using Broker.Soap.Messages;
using Microsoft.Extensions.Logging;

namespace Broker.Soap.Providers;

/// <summary>
/// A legacy VSOi provider: a block becomes one SOAP Query (zeep's shape), file ids become one GetData.
/// Resilience (timeouts, retries, breaker) is the engine's pipeline around this adapter.
/// </summary>
internal sealed partial class SoapProviderAdapter : IProviderAdapter, IProviderHttpClient
{
    /// <summary>Every attribute a QueryRequestBlock carries, so the provider filters on them itself.</summary>
    private static readonly IReadOnlySet<QueryAttribute> VsoiFilters = Enum.GetValues<QueryAttribute>().ToHashSet();

    private readonly ProviderConfig _config;
    private readonly SoapProviderOptions _options;
    private readonly VsoiSoapClient _client;
    private readonly ILogger _logger;

    public SoapProviderAdapter(ProviderConfig config, SoapProviderOptions options, HttpClient http, ILogger<SoapProviderAdapter> logger)
    {
        _config = config;
        _options = options;
        _logger = logger;
        Http = http;
        _client = new VsoiSoapClient(http, options.Endpoint, options.MaxResponseBytes);
        var caps = config.Capabilities;
        Capabilities = caps with
        {
            Providers = caps.Providers.Count > 0 ? caps.Providers : options.ProviderNames,
            Filters = caps.Filters.Count > 0 ? caps.Filters : VsoiFilters,
        };
    }

    public string Id => _config.Id;
    public HttpClient Http { get; }

    public ProviderCapabilities Capabilities { get; }

    public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        var request = new QueryRequest(ToRequestBlock(block));
        var content = await _client.CallAsync(VsoiNames.QueryAction, VsoiRequestWriter.QueryEnvelope(request), cancellationToken).ConfigureAwait(false);
        var response = VsoiResponseReader.ReadQueryResponse(content);

        var records = new List<DataRecord>();
        long found = 0, returned = 0;
        var counted = true;
        var errors = new List<string>();
        foreach (var item in response.ProviderItems)
        {
            if (item.Error is { Length: > 0 } error) errors.Add(item.Provider is null ? error : $"{item.Provider}: {error}");
            returned += item.NoOfRecordsReturned ?? item.Records.Count;
            found += Math.Max(item.NoOfRecordsFound ?? 0, item.NoOfRecordsReturned ?? item.Records.Count);
            counted &= item.NoOfRecordsFound is not null;
            foreach (var r in item.Records)
                if (ToRecord(r, item.Provider) is { } record) records.Add(record);
        }
        if (errors.Count > 0 && records.Count == 0)
            throw new ProviderException(string.Join("; ", errors));
        if (errors.Count > 0) LogPartialErrors(_logger, Id, string.Join("; ", errors));

        var truncated = found > returned || records.Count > maxRecords;
        if (records.Count > maxRecords) records.RemoveRange(maxRecords, records.Count - maxRecords);
        // no_of_records_found is the provider's own count: exact when every item gave it.
        return new ProviderAnswer(records, truncated, Math.Max(found, records.Count)) { TotalExact = counted };
    }

    public async Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken)
    {
        var parsed = files.Select(f => (Request: f, Key: SplitFileId(f.FileId))).ToList();
        var groups = parsed.GroupBy(p => p.Key.Provider, StringComparer.OrdinalIgnoreCase)
            .Select(g => new DataRequestItem(g.Key, g.Select(p => p.Key.FileId).Distinct(StringComparer.Ordinal).ToList())).ToList();
        var request = new VSOGetDataRequest(new GetDataRequest(new MethodItem(_options.Methods), new Info { Email = _options.Email }, new DataContainer(groups)));
        var content = await _client.CallAsync(VsoiNames.GetDataAction, VsoiRequestWriter.GetDataEnvelope(request), cancellationToken).ConfigureAwait(false);
        var response = VsoiResponseReader.ReadGetDataResponse(content);

        var urls = new Dictionary<(string, string), string>();
        var failures = new Dictionary<string, GetDataResponseItem>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in response.Items)
        {
            foreach (var d in item.GetDataItem?.Items ?? [])
                if (d.Url is { Length: > 0 } url)
                    foreach (var id in d.FileIds)
                        urls.TryAdd((Norm(d.Provider.Length > 0 ? d.Provider : item.Provider), id), url);
            if (item.Provider is { } p) failures.TryAdd(p, item);
        }

        return parsed.Select(p =>
        {
            if (urls.TryGetValue((Norm(p.Key.Provider), p.Key.FileId), out var url) || urls.TryGetValue(("", p.Key.FileId), out url))
                return new FileLocation(p.Request.FileId, FileStatus.Ok, url);
            var item = failures.GetValueOrDefault(p.Key.Provider) ?? (response.Items.Count == 1 ? response.Items[0] : null);
            var why = item is null ? "the provider did not answer for this file" : Describe(item);
            var notFound = item?.Status is null || item.Status.StartsWith("200", StringComparison.Ordinal) || item.Status.StartsWith("404", StringComparison.Ordinal);
            return new FileLocation(p.Request.FileId, notFound ? FileStatus.NotFound : FileStatus.Error, Detail: why);
        }).ToList();
    }

    private string Norm(string? provider) => _options.PrefixFileIds ? (provider ?? "").ToUpperInvariant() : "";

    private static string Describe(GetDataResponseItem item) =>
        string.Join(": ", new[] { item.Status, item.Details }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } text
            ? text : "no URL was returned for this file";

    private QueryRequestBlock ToRequestBlock(QueryBlock b)
    {
        var wave = b.Wave is { } w && !(w.MinAngstrom == 0 && double.IsPositiveInfinity(w.MaxAngstrom))
            ? new VsoWave(XmlOut.Number(w.MinAngstrom), XmlOut.Number(w.MaxAngstrom), WaveUnit.Angstrom.Name, w.WaveType)
            : null;
        return new QueryRequestBlock
        {
            Time = new VsoTime(SolarTime.ToVso(b.Time.Start), SolarTime.ToVso(b.Time.End), b.Time.Near is { } n ? SolarTime.ToVso(n) : null),
            Provider = VsoProviderFor(b.Provider),
            Source = b.Source,
            Instrument = b.Instrument,
            Physobs = b.Physobs,
            Wave = wave,
            Extent = b.Extent is { } e ? new VsoExtent(e.X, e.Y, e.Width, e.Length, e.Type) : null,
            Pixels = b.Pixels,
            Level = b.Level,
            Resolution = b.Resolution,
            Detector = b.Detector,
            Filter = b.Filter,
            Sample = b.Sample,
        };
    }

    /// <summary>The VSO provider name to send: the one asked for when it is served here, else the only one served.</summary>
    private string? VsoProviderFor(string? asked)
    {
        if (asked is not null && _options.ProviderNames.FirstOrDefault(n => n.Equals(asked, StringComparison.OrdinalIgnoreCase)) is { } name)
            return name;
        return _options.ProviderNames.Count == 1 ? _options.ProviderNames[0] : null;
    }

    private DataRecord? ToRecord(QueryResponseBlock r, string? itemProvider)
    {
        if (r.FileId is not { Length: > 0 } fileId) return null;
        var vsoProvider = r.Provider.Length > 0 ? r.Provider : itemProvider ?? "";
        double? min = null, max = null;
        if (r.Wave is { } w && ParseDouble(w.WaveMin ?? w.WaveMax) is { } lo && ParseDouble(w.WaveMax ?? w.WaveMin) is { } hi
            && WaveUnit.TryParse(w.WaveUnit ?? "Angstrom", out var unit) && !(unit.IsInverse && (lo <= 0 || hi <= 0)))
            (min, max) = unit.RangeToAngstrom(lo, hi);
        return new DataRecord
        {
            Provider = Id,
            FileId = _options.PrefixFileIds ? vsoProvider + "|" + fileId : fileId,
            Source = r.Source,
            Instrument = r.Instrument,
            Detector = r.Detector,
            Physobs = r.Physobs,
            Start = SolarTime.TryParse(r.Time.Start, out var s) ? s : null,
            End = SolarTime.TryParse(r.Time.End, out var e) ? e : null,
            WaveMin = min,
            WaveMax = max,
            WaveType = r.Wave?.WaveType,
            Extent = r.Extent is { } x ? new Extent(x.X, x.Y, x.Width, x.Length, x.Type) : null,
            SizeKb = FileSize.Kb(r.Size),
            Info = r.Info,
            DataType = r.DataType,
            DownloadUrl = r.FileUrl,
            ThumbnailUrl = r.Extra?.Thumbnail?.Lowres ?? r.Extra?.Thumbnail?.Hires,
        };
    }

    /// <summary>Splits a broker file id into the VSO provider name and the provider's own file id.</summary>
    private (string Provider, string FileId) SplitFileId(string fileId)
    {
        if (!_options.PrefixFileIds) return (_options.ProviderNames[0], fileId);
        var bar = fileId.IndexOf('|');
        return bar > 0 ? (fileId[..bar], fileId[(bar + 1)..]) : (_options.ProviderNames.FirstOrDefault() ?? Id, fileId);
    }

    private static double? ParseDouble(string? text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "VSOi provider {ProviderId} returned records with errors: {Errors}")]
    private static partial void LogPartialErrors(ILogger logger, string providerId, string errors);
}
