using System.Globalization;
using Broker.Simulators.Data;
using Broker.Simulators.Faults;
using Broker.Simulators.Hosting;
using Broker.Soap;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using Broker.Soap.Messages;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Soap;

/// <summary>
/// A legacy VSOi SOAP provider (<c>POST /{provider}/soap</c>) over the SDO-like generated products, using the
/// project's SOAP envelope and VSOi message code (Broker.Soap). Query: time overlap, instrument, wave overlap (Å).
/// GetData: a URL on the simulator's data endpoint per known file id.
/// </summary>
internal static class VsoiEndpoint
{
    private const int MaxRecords = 10_000;

    public static async Task HandleAsync(HttpContext http, SimulatedProvider provider, FaultDecision fault)
    {
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            // Like the real CGI: a GET is answered with 411 Length Required.
            await SimulatorRouter.Text(http, 411, "POST a SOAP envelope.\n").ConfigureAwait(false);
            return;
        }

        byte[] answer;
        int status = 200;
        try
        {
            var envelope = await SoapEnvelopeReader.ReadAsync(http.Request.Body, SoapLimits.Default, http.RequestAborted).ConfigureAwait(false);
            var request = VsoiRequestReader.Read(envelope);
            if (request.Operation == VsoiOperation.Query)
            {
                provider.Counters.SoapQuery();
                answer = VsoiResponseWriter.QueryEnvelope(Query(provider, request.Query!.Block));
            }
            else
            {
                provider.Counters.SoapGetData();
                answer = VsoiResponseWriter.GetDataEnvelope(GetData(provider, request.GetData!), request.EncodedModel);
            }
        }
        catch (SoapFaultException e)
        {
            status = 500;
            answer = SoapEnvelopeWriter.WriteFault(e.Fault);
        }

        await PayloadWriter.WriteAsync(http, fault, provider.Counters, VsoiNames.ContentType,
            (s, ct) => s.WriteAsync(answer, ct).AsTask(), status).ConfigureAwait(false);
    }

    private static QueryResponse Query(SimulatedProvider provider, QueryRequestBlock block)
    {
        var start = ParseTime(block.Time?.Start, "start");
        var end = ParseTime(block.Time?.End, "end");
        if (end < start) throw SoapFaultException.Client("time/end is before time/start");
        var (waveMin, waveMax) = ParseWave(block.Wave);
        var table = provider.Data.Catalog.Find("ivoa.obscore")!;
        int tMin = table.Ordinal("t_min"), tMax = table.Ordinal("t_max"), inst = table.Ordinal("instrument_name"),
            emMin = table.Ordinal("em_min"), emMax = table.Ordinal("em_max"), did = table.Ordinal("obs_publisher_did"),
            url = table.Ordinal("access_url"), size = table.Ordinal("access_estsize"), ucd = table.Ordinal("o_ucd");
        var bounds = new TimeBounds();
        bounds.AtLeast(Julian.ToMjd(start) - table.MaxSpan);
        bounds.AtMost(Julian.ToMjd(end));
        var records = new List<QueryResponseBlock>();
        long found = 0;
        foreach (var row in bounds.Slice(table))
        {
            if ((double)row[tMax]! < Julian.ToMjd(start)) continue;
            if (block.Instrument is { Length: > 0 } wanted && !wanted.Equals((string)row[inst]!, StringComparison.OrdinalIgnoreCase)) continue;
            var loA = (double)row[emMin]! * 1e10;
            var hiA = (double)row[emMax]! * 1e10;
            if (waveMin is { } wmin && hiA < wmin) continue;
            if (waveMax is { } wmax && loA > wmax) continue;
            found++;
            if (records.Count >= MaxRecords) continue;
            records.Add(new QueryResponseBlock
            {
                Provider = provider.Name.ToUpperInvariant(),
                Source = "SDO",
                Instrument = (string)row[inst]!,
                Physobs = ((string)row[ucd]!).StartsWith("phys.magField", StringComparison.Ordinal) ? "LOS_magnetic_field" : "intensity",
                Time = new VsoTime(Vso(Julian.FromMjd((double)row[tMin]!)), Vso(Julian.FromMjd((double)row[tMax]!))),
                Wave = new VsoWave(Format(loA), Format(hiA), "Angstrom"),
                Extent = new VsoExtent("0", "0", "2459.0", "2459.0", "FULLDISK"),
                Size = (long)row[size]!,
                DataType = "IMAGE",
                FileUrl = (string)row[url]!,
                FileId = (string)row[did]!,
            });
        }

        return new QueryResponse(
        [
            new ProviderQueryResponse
            {
                Provider = provider.Name.ToUpperInvariant(),
                NoOfRecordsFound = found,
                NoOfRecordsReturned = records.Count,
                Records = records,
                Status = found > records.Count ? $"Truncated: {records.Count} of {found} records returned" : null,
            },
        ]);
    }

    private static GetDataAnswer GetData(SimulatedProvider provider, VSOGetDataRequest request)
    {
        var items = request.Request.DataContainer?.Items ?? [];
        var answers = items.Select(item =>
        {
            var files = item.FileIds.Select(id => provider.Data.Files.ContainsKey(id)
                ? new FileAnswer(id, provider.DataUrl + "?ID=" + Uri.EscapeDataString(id))
                : new FileAnswer(id, null, "unknown file id")).ToList();
            var status = files.Any(f => f.Url is not null) ? "200" : "404 no such files";
            return new ProviderFileAnswer(item.Provider, status, null, "URL-FILE", files);
        }).ToList();
        return new GetDataAnswer(answers);
    }

    private static DateTime ParseTime(string? text, string what) =>
        DateTime.TryParseExact(text?.Trim(), "yyyyMMddHHmmss", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw SoapFaultException.Client($"time/{what} must be YYYYMMDDHHMMSS, got '{text}'");

    private static (double? Min, double? Max) ParseWave(VsoWave? wave)
    {
        if (wave is null) return (null, null);
        if (!string.Equals(wave.WaveUnit, "Angstrom", StringComparison.OrdinalIgnoreCase))
            throw SoapFaultException.Client($"this provider only understands waveunit Angstrom, got '{wave.WaveUnit}'");
        static double? Parse(string? s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        return (Parse(wave.WaveMin), Parse(wave.WaveMax));
    }

    private static string Vso(DateTime t) => t.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static string Format(double v) => Math.Round(v, 3).ToString("R", CultureInfo.InvariantCulture);
}
