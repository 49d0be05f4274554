using System.Net.Http.Headers;
using Broker.Soap;
using Broker.Soap.Contracts;
using Broker.Soap.Envelope;
using Broker.Soap.Messages;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>A plain VSOi client of the broker's SOAP door built from Broker.Soap's own message code (as the SOAP adapter talks to a provider).</summary>
internal static class SoapDoor
{
    /// <summary>POSTs a Query envelope to /soap/vsoi and reads the answer.</summary>
    public static async Task<QueryResponse> QueryAsync(HttpClient http, QueryRequestBlock block)
    {
        var content = await CallAsync(http, VsoiNames.QueryAction, VsoiRequestWriter.QueryEnvelope(new QueryRequest(block)));
        return VsoiResponseReader.ReadQueryResponse(content);
    }

    /// <summary>POSTs a GetData envelope to /soap/vsoi and reads the answer.</summary>
    public static async Task<VSOGetDataResponse> GetDataAsync(HttpClient http, IReadOnlyList<DataRequestItem> items)
    {
        var request = new VSOGetDataRequest(new GetDataRequest(new MethodItem(["URL-FILE", "URL"]), new Info { Email = "e2e" }, new DataContainer(items)));
        var content = await CallAsync(http, VsoiNames.GetDataAction, VsoiRequestWriter.GetDataEnvelope(request));
        return VsoiResponseReader.ReadGetDataResponse(content);
    }

    /// <summary>The (provider, fileid) pairs of a Query answer, sorted.</summary>
    public static List<(string Provider, string FileId)> Keys(QueryResponse response) =>
        response.ProviderItems.SelectMany(i => i.Records).Select(r => (r.Provider, r.FileId!)).Order().ToList();

    private static async Task<System.Xml.Linq.XElement> CallAsync(HttpClient http, string action, byte[] envelope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/soap/vsoi") { Content = new ByteArrayContent(envelope) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", "\"" + action + "\"");
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{action}: HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        var parsed = SoapEnvelopeReader.Parse(bytes, new SoapLimits { MaxRequestBytes = 256L * 1024 * 1024, MaxElements = 50_000_000 });
        Assert.Null(parsed.Fault);
        return parsed.Content;
    }
}
