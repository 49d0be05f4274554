using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// The vsobroker Fido client (clients/python) with Debian's sunpy 4.1.2 against the real broker over a TAP and a
/// SOAP simulator: Fido.search finds exactly what the REST API finds, warnings name skipped providers, the table
/// shows the counts, and Fido.fetch downloads the simulators' files through GetData.
/// </summary>
[Collection(SoapFederationCollection.Name)]
[Trait("Category", "Compat")]
public sealed class FidoBrokerClientTests(SoapFederationFixture f, ITestOutputHelper output)
{
    [Fact]
    public async Task FidoSearchAndFetch_ThroughTheBrokerClient_GiveTheRestApisRecordsAndTheSimulatorsFiles()
    {
        var run = await PythonClient.RunAsync("fido_broker_client.py", f.Broker.BaseUrl.ToString().TrimEnd('/'),
            RestSearch.Iso(SoapFederationFixture.Start), RestSearch.Iso(SoapFederationFixture.End),
            "--instrument", "AIA", "--instrument", "HMI", "--wave", "160", "180");
        output.WriteLine(run.ToString());
        var start = RestSearch.Iso(SoapFederationFixture.Start);
        var end = RestSearch.Iso(SoapFederationFixture.End);
        var window = $"start={start}&end={end}";

        var aia = RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, window + "&instrument=AIA"));
        var wave = RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, window + "&wavemin=160&wavemax=180&waveunit=Angstrom"));
        var either = RestSearch.Keys(await RestSearch.PostAsync(f.Broker.Http,
            new { start, end, instrument = "AIA" }, new { start, end, instrument = "HMI" }));
        foreach (var (name, rest) in new[] { ("time+instrument", aia), ("time+wavelength", wave), ("client-or", either) })
        {
            var search = run.Line("search", name);
            Assert.Equal(["BrokerClient"], search.GetProperty("clients").EnumerateArray().Select(c => c.GetString()));
            Assert.Contains(rest, k => k.Provider == SoapFederationFixture.Tap);
            Assert.Contains(rest, k => k.Provider == SoapFederationFixture.Soap);
            RestSearch.AssertSameRecords(rest, RestSearch.Keys(search.GetProperty("records").EnumerateArray()), name);
        }
        // Fido splits an OR itself (one broker query per block): the union is the broker's OR.
        var fidoOr = run.Line("search", "fido-or");
        Assert.Equal(2, fidoOr.GetProperty("metas").GetArrayLength());
        Assert.Equal(either, RestSearch.Keys(fidoOr.GetProperty("records").EnumerateArray()).Distinct().Order().ToList());

        // Counts are in the table; a provider that cannot answer is a warning naming it and why.
        var first = run.Line("search", "time+instrument");
        Assert.Contains($"{aia.Count} of {aia.Count} records", first.GetProperty("text").GetString());
        var skipping = run.Line("search", "skipping");
        Assert.All(RestSearch.Keys(skipping.GetProperty("records").EnumerateArray()), k => Assert.Equal(SoapFederationFixture.Soap, k.Provider));
        Assert.Contains(skipping.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains($"provider {SoapFederationFixture.Tap}: skipped"));

        // fetch: every downloaded file is byte for byte the simulator's file of one fetched record.
        var fetched = run.Line("fetch");
        Assert.True(fetched.GetProperty("errors").GetArrayLength() == 0, run.ToString());
        var expected = aia.Select(k => f.Sims.FileContent(k.Provider, k.FileId) ?? throw new InvalidOperationException($"no file {k}"))
            .ToDictionary(b => Convert.ToHexStringLower(SHA256.HashData(b)), b => b.Length);
        var files = fetched.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(aia.Count, files.Count);
        Assert.All(files, file =>
        {
            Assert.True(expected.TryGetValue(file.GetProperty("sha256").GetString()!, out var length), $"downloaded {file} is none of the simulators' files");
            Assert.Equal(length, file.GetProperty("size").GetInt32());
        });
        Assert.Equal(files.Count, files.Select(x => x.GetProperty("sha256").GetString()).Distinct().Count());
    }
}
