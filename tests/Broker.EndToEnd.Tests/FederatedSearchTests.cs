using System.Globalization;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;

namespace Broker.EndToEnd.Tests;

/// <summary>The federated search over real loopback HTTP: the broker, the TAP adapter and the simulators.</summary>
[Collection(FederationCollection.Name)]
public sealed class FederatedSearchTests(FederationFixture f)
{
    [Fact]
    public async Task Search_ThreeTapProviders_MergeWithUnitsDeduplicationAndOrder()
    {
        f.ResetFaults();
        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=soar,sdo,nrh");

        Assert.Equal("ok", Json.Status(doc, "soar"));
        Assert.Equal("ok", Json.Status(doc, "sdo"));
        Assert.Equal("ok", Json.Status(doc, "nrh"));
        var records = Json.Records(doc);
        Assert.Equal(doc.GetProperty("total").GetInt32(), records.Count);
        Assert.Equal(records.Count, records.Select(r => (r.GetProperty("provider").GetString(), r.GetProperty("fileId").GetString())).Distinct().Count());
        Assert.Equal(new[] { "nrh", "sdo", "soar" }, records.Select(r => r.GetProperty("provider").GetString()).Distinct().Order());

        // Order: start time, then provider, then file id (ordinal).
        var keys = records.Select(r => (Start: r.GetProperty("start").GetString()!, P: r.GetProperty("provider").GetString()!, F: r.GetProperty("fileId").GetString()!)).ToList();
        for (var i = 1; i < keys.Count; i++)
        {
            var c = string.CompareOrdinal(keys[i - 1].Start, keys[i].Start);
            if (c == 0) c = string.CompareOrdinal(keys[i - 1].P, keys[i].P);
            if (c == 0) c = string.CompareOrdinal(keys[i - 1].F, keys[i].F);
            Assert.True(c <= 0, $"records {i - 1} and {i} out of order");
        }

        // Units: ObsCore metres and EPN-TAP hertz both arrive in Angstrom; an AIA 171 band sits around 171 Å.
        var aia171 = records.First(r => r.GetProperty("provider").GetString() == "sdo" && r.TryGetProperty("waveMin", out var w) && w.GetDouble() is > 150 and < 175);
        Assert.Equal("Angstrom", aia171.GetProperty("waveUnit").GetString());
        var radio = records.First(r => r.GetProperty("provider").GetString() == "nrh" && r.TryGetProperty("waveMin", out _));
        Assert.True(radio.GetProperty("waveMin").GetDouble() > 1e8, "radio wavelengths are metres long: > 1e8 Å");
        Assert.True(radio.GetProperty("waveMin").GetDouble() <= radio.GetProperty("waveMax").GetDouble(), "Hz ranges swap ends");
        Assert.All(records, r => Assert.True(!r.TryGetProperty("sizeKb", out var s) || s.GetDouble() > 0));
    }

    [Fact]
    public async Task Search_HungProvider_IsTimeoutWithinItsBudgetWhileOthersAnswer()
    {
        f.ResetFaults();
        f.Sims.SetFault("flaky", new FaultSpec { Hang = true });

        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=soar,flaky");

        // The hung provider's own 1 s budget ended its call, not the 20 s search deadline: the message says which.
        Assert.Equal("timeout", Json.Status(doc, "flaky"));
        Assert.Equal("no answer within 1 s", Json.Providers(doc)["flaky"].GetProperty("message").GetString());
        Assert.Equal(0, Json.Providers(doc)["flaky"].GetProperty("records").GetInt32());
        Assert.Equal("ok", Json.Status(doc, "soar"));
        Assert.NotEmpty(Json.Records(doc));
    }

    [Theory]
    [InlineData("malformed")]
    [InlineData("truncated")]
    [InlineData("http500")]
    public async Task Search_BrokenAnswer_IsErrorWithAReadableMessage(string fault)
    {
        f.ResetFaults();
        f.Sims.SetFault("flaky", fault switch
        {
            "malformed" => new FaultSpec { MalformedBody = true },
            "truncated" => new FaultSpec { TruncatedBody = true },
            _ => new FaultSpec { AlwaysFail = true },
        });

        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=soar,flaky");

        var flaky = Json.Providers(doc)["flaky"];
        Assert.Equal("error", flaky.GetProperty("status").GetString());
        var message = flaky.GetProperty("message").GetString()!;
        Assert.True(message.Length > 10, message);
        if (fault == "http500") Assert.Contains("500", message);
        Assert.Equal("ok", Json.Status(doc, "soar"));
    }

    [Fact]
    public async Task Search_AfterRepeatedFailures_OpenCircuitSkipsTheProviderInstantly()
    {
        f.ResetFaults();
        f.Sims.SetFault("breaker", new FaultSpec { AlwaysFail = true });
        for (var i = 0; i < 3; i++) await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=breaker,soar");
        var requestsBefore = f.Sims.Calls("breaker").Requests;

        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=breaker,soar");

        Assert.Equal("circuit-open", Json.Status(doc, "breaker"));
        Assert.Equal(requestsBefore, f.Sims.Calls("breaker").Requests);
        Assert.True(Json.Providers(doc)["breaker"].GetProperty("elapsedMs").GetInt64() < 1000);
        var providers = await Json.GetAsync(f.Broker.Http, "/api/v1/providers");
        var state = providers.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "breaker");
        Assert.Equal("open", state.GetProperty("circuit").GetString());
    }

    [Theory]
    [InlineData("AIA' OR '1'='1")]
    [InlineData("AIA'; DELETE FROM ivoa.obscore; --")]
    [InlineData("\"AIA\" UNION SELECT")]
    [InlineData("SELECT")]
    public async Task Search_QuotesAndKeywordsInValues_ReachTheProviderAsOneEscapedLiteral(string hostile)
    {
        // nrh (EPN-TAP, no instrument list declared) filters on instrument_name itself: an escaped literal matches no
        // instrument, an injected OR '1'='1' would match every row and a broken literal would be an ADQL error.
        var wanted = Uri.EscapeDataString(hostile);
        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=nrh&instrument={wanted}");

        Assert.Equal("empty", Json.Status(doc, "nrh"));
        Assert.Empty(Json.Records(doc));
        var control = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=nrh&instrument=NRH");
        Assert.Equal("ok", Json.Status(control, "nrh"));
    }

    [Fact]
    public async Task Search_ClientCancels_TheProviderCallIsCancelledToo()
    {
        f.ResetFaults();
        f.Sims.SetFault("flaky", new FaultSpec { Hang = true });
        using var cts = new CancellationTokenSource();

        var search = f.Broker.Http.GetAsync($"/api/v1/search?{FederationFixture.Window}&providers=flaky", cts.Token);
        await WaitUntil(() => f.Sims.Calls("flaky").FaultsInjected >= 1); // the request is hanging at the provider
        var before = f.Sims.Calls("flaky");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);

        await WaitUntil(() => f.Sims.Calls("flaky").Aborted > before.Aborted);
    }

    [Fact]
    public async Task Search_Physobs_IsDerivedFromTapMetadataAndFiltered()
    {
        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=soar,sdo&physobs=intensity");

        var records = Json.Records(doc);
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal("intensity", r.GetProperty("physobs").GetString()));
        Assert.Contains(records, r => r.GetProperty("provider").GetString() == "sdo");
    }

    [Fact]
    public async Task Search_SameSoarFile_GivesTheSameRecordWithAndWithoutAWavelengthFilter()
    {
        // Issue 9 item 5: remote-sensing SOAR records always carry wavelength and detector (the FITS views are joined
        // whatever the filters), so a file's record does not depend on the query that found it.
        var plain = Json.Records(await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=soar&instrument=EUI"))
            .ToDictionary(r => r.GetProperty("fileId").GetString()!);
        var filtered = Json.Records(await Json.GetAsync(f.Broker.Http,
            $"/api/v1/search?{FederationFixture.Window}&providers=soar&wavemin=170&wavemax=180&waveunit=Angstrom"));

        var common = filtered.Where(r => plain.ContainsKey(r.GetProperty("fileId").GetString()!)).ToList();
        Assert.NotEmpty(common);
        Assert.All(plain.Values, r => Assert.True(r.TryGetProperty("waveMin", out _) && r.TryGetProperty("detector", out _), r.GetRawText()));
        Assert.All(common, r => Assert.Equal(r.GetRawText(), plain[r.GetProperty("fileId").GetString()!].GetRawText()));
    }

    [Fact]
    public async Task Head_CountsMatchTheBody()
    {
        f.ResetFaults();
        var url = $"/api/v1/search?{FederationFixture.Window}&providers=soar,sdo&limit=10";
        using var head = await f.Broker.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        var body = await Json.GetAsync(f.Broker.Http, url);

        Assert.Equal(body.GetProperty("total").GetInt32().ToString(CultureInfo.InvariantCulture), head.Headers.GetValues("VSO-Count-Records").Single());
        Assert.Equal(body.GetProperty("truncatedPercent").GetDouble().ToString("0.##", CultureInfo.InvariantCulture),
            head.Headers.GetValues("VSO-Truncated").Single());
        Assert.Equal("true", head.Headers.GetValues("VSO-Count-Exact").Single());
        Assert.True(body.GetProperty("totalExact").GetBoolean());
        Assert.Equal(10, Json.Records(body).Count);
        Assert.True(body.GetProperty("truncated").GetBoolean());
    }

    internal static Task WaitUntil(Func<bool> condition) => Broker.Testing.Wait.UntilAsync(condition, "the simulator's counters");
}
