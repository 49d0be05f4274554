using System.Security.Cryptography;
using System.Text.Json;
using Xunit.Abstractions;
using Broker.EndToEnd.Tests.Infrastructure;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// Debian's sunpy 4.1.2 <c>VSOClient(url=our WSDL, port='nsoVSOi')</c> against the real broker over a TAP and a
/// SOAP simulator: its searches find exactly what the REST API finds, and its fetch downloads the simulators' files.
/// </summary>
[Collection(SoapFederationCollection.Name)]
[Trait("Category", "Compat")]
public sealed class SunpyVsoClientTests(SoapFederationFixture f, ITestOutputHelper output)
{
    private const double WaveMin = 160, WaveMax = 180;

    [Fact]
    public async Task VsoClient_ThreeSearches_ReturnTheRecordsOfTheRestApiAndFetchDownloadsTheFiles()
    {
        var run = await PythonClient.RunAsync("sunpy_vso_client.py", f.WsdlUrl,
            F(SoapFederationFixture.Start), F(SoapFederationFixture.End),
            "--instrument", "AIA", "--instrument", "HMI", "--wave", "160", "180", "--fetch", "time+instrument");
        output.WriteLine(run.ToString());
        var window = $"start={RestSearch.Iso(SoapFederationFixture.Start)}&end={RestSearch.Iso(SoapFederationFixture.End)}";

        var aia = RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, window + "&instrument=AIA"));
        var wave = RestSearch.Keys(await RestSearch.GetAsync(f.Broker.Http, window + $"&wavemin={WaveMin}&wavemax={WaveMax}&waveunit=Angstrom"));
        var either = RestSearch.Keys(await RestSearch.PostAsync(f.Broker.Http,
            new { start = RestSearch.Iso(SoapFederationFixture.Start), end = RestSearch.Iso(SoapFederationFixture.End), instrument = "AIA" },
            new { start = RestSearch.Iso(SoapFederationFixture.Start), end = RestSearch.Iso(SoapFederationFixture.End), instrument = "HMI" }));

        foreach (var (name, rest) in new[] { ("time+instrument", aia), ("time+wavelength", wave), ("or-of-instruments", either) })
        {
            var search = run.Line("search", name);
            Assert.True(search.GetProperty("errors").GetArrayLength() == 0, $"{name}: {search}\n{run}");
            // Both simulators must take part, or the comparison would not show a federated search.
            Assert.Contains(rest, k => k.Provider == SoapFederationFixture.Tap);
            Assert.Contains(rest, k => k.Provider == SoapFederationFixture.Soap);
            RestSearch.AssertSameRecords(rest, RestSearch.Keys(search.GetProperty("records").EnumerateArray()), name);
        }
        Assert.True(either.Count > aia.Count, "HMI adds records to the OR");

        // fetch: every downloaded file is byte for byte one of the simulators' files for the fetched records.
        var fetched = run.Line("fetch");
        var asked = RestSearch.Keys(run.Line("search", "time+instrument").GetProperty("records").EnumerateArray()).Count;
        var expected = aia.Select(k => f.Sims.FileContent(k.Provider, k.FileId) ?? throw new InvalidOperationException($"no file {k}"))
            .ToDictionary(b => Convert.ToHexStringLower(SHA256.HashData(b)), b => b.Length);
        var files = fetched.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(asked, files.Count);
        Assert.Equal(aia.Count, asked);
        Assert.True(fetched.GetProperty("errors").GetArrayLength() == 0, run.ToString());
        Assert.All(files, file =>
        {
            var sha = file.GetProperty("sha256").GetString()!;
            Assert.True(expected.TryGetValue(sha, out var length), $"downloaded {file} is none of the simulators' files");
            Assert.Equal(length, file.GetProperty("size").GetInt32());
        });
        Assert.Equal(files.Count, files.Select(x => x.GetProperty("sha256").GetString()).Distinct().Count());
    }

    private static string F(DateTime t) => t.ToString("yyyy/MM/dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
