using System.Globalization;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// The raw clients against the real broker over a TAP and a SOAP simulator: zeep (strict, from our WSDL) calling
/// Query and GetData, and the envelopes IDL/SSW sends to the tab-delimited door. Both must find what REST finds,
/// and every URL GetData hands out must download the simulator's file.
/// </summary>
[Collection(SoapFederationCollection.Name)]
[Trait("Category", "Compat")]
public sealed class RawClientTests(SoapFederationFixture f, ITestOutputHelper output)
{
    private static string Vso(DateTime t) => t.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static readonly string Window = $"start={RestSearch.Iso(SoapFederationFixture.Start)}&end={RestSearch.Iso(SoapFederationFixture.End)}";

    [Fact]
    public async Task Zeep_QueryAndGetData_FindTheRestRecordsAndUrlsServeTheFiles()
    {
        var run = await PythonClient.RunAsync("zeep_raw.py", f.WsdlUrl, Vso(SoapFederationFixture.Start), Vso(SoapFederationFixture.End), "HMI");
        output.WriteLine(run.ToString());
        var rest = RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, Window + "&instrument=HMI"));

        var query = run.Line("query").GetProperty("query").EnumerateArray().ToList();
        RestSearch.AssertSameRecords(rest, RestSearch.Keys(query), "zeep Query HMI");
        Assert.Equal([SoapFederationFixture.Soap, SoapFederationFixture.Tap], rest.Select(k => k.Provider).Distinct().Order());

        var urls = run.Line("getdata").GetProperty("getdata").EnumerateArray().ToList();
        Assert.Equal(rest.Count, urls.Count);
        await AssertDownloadsAsync(urls.Select(u => (u.GetProperty("provider").GetString()!, u.GetProperty("fileid").GetString()!, u.GetProperty("url").GetString()!)), run.ToString());
        Assert.StartsWith("invalid query", run.Line("error").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idl_TabdelimQueryAndEncodedGetData_FindTheRestRecordsAndUrlsServeTheFiles()
    {
        var run = await PythonClient.RunAsync("idl_raw_envelope.py", f.TabdelimUrl, Vso(SoapFederationFixture.Start), Vso(SoapFederationFixture.End), "aia");
        output.WriteLine(run.ToString());
        var rest = RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, Window + "&instrument=AIA"));

        RestSearch.AssertSameRecords(rest, RestSearch.Keys(run.Line("records").GetProperty("records").EnumerateArray()), "IDL FlatTable AIA");
        Assert.Equal([SoapFederationFixture.Soap, SoapFederationFixture.Tap], rest.Select(k => k.Provider).Distinct().Order());
        // A header per provider: the ones that answered without error text; SOAR (no AIA) skipped, saying why.
        var headers = run.Lines().Where(l => l.TryGetProperty("found", out _)).ToDictionary(h => h.GetProperty("provider").GetString()!);
        Assert.All(rest.Select(k => k.Provider).Distinct(), p => Assert.Equal("", headers[p].GetProperty("error").GetString()));
        Assert.StartsWith("soar: skipped: instrument 'aia' is not offered", headers["soar"].GetProperty("error").GetString(), StringComparison.Ordinal);

        var urls = run.Line("getdata").GetProperty("getdata").EnumerateArray().ToList();
        Assert.Equal(rest.Count, urls.Count);
        await AssertDownloadsAsync(urls.Select(u => (u.GetProperty("provider").GetString()!, u.GetProperty("fileid").GetString()!, u.GetProperty("url").GetString()!)), run.ToString());
    }

    private async Task AssertDownloadsAsync(IEnumerable<(string Provider, string FileId, string Url)> urls, string context)
    {
        foreach (var (provider, fileId, url) in urls)
        {
            Assert.True(new Uri(url).IsLoopback, $"{url} is not on loopback\n{context}");
            var expected = f.Sims.FileContent(provider, fileId);
            Assert.True(expected is not null, $"{provider} has no file {fileId}\n{context}");
            Assert.Equal(expected, await f.Broker.Http.GetByteArrayAsync(url));
        }
    }
}
