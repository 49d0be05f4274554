using System.Diagnostics;
using System.Net;
using System.Xml;

namespace Broker.Simulators.Tests.Faults;

/// <summary>Each test sets faults on the fixture's "faulty" provider and clears them afterwards (tests in a class run one by one).</summary>
public sealed class FaultInjectionTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private const string Query = "SELECT TOP 20 obs_publisher_did, t_min FROM ivoa.obscore";

    private async Task WithFault(FaultSpec fault, Func<Task> test)
    {
        sim.Running.SetFault("faulty", fault);
        try
        {
            await test();
        }
        finally
        {
            sim.Running.SetFault("faulty", FaultSpec.None);
        }
    }

    [Fact]
    public Task AlwaysFail_Returns500() => WithFault(new FaultSpec { AlwaysFail = true }, async () =>
    {
        var response = await sim.SyncAsync("faulty", Query);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    });

    [Fact]
    public async Task ErrorRate_SameSeed_GivesTheSameFailurePattern()
    {
        async Task<List<HttpStatusCode>> Run()
        {
            var statuses = new List<HttpStatusCode>();
            sim.Running.SetFault("faulty", new FaultSpec { ErrorRate = 0.5, Seed = 42 });
            for (var i = 0; i < 20; i++) statuses.Add((await sim.SyncAsync("faulty", Query)).StatusCode);
            return statuses;
        }

        try
        {
            var first = await Run();
            var second = await Run();

            Assert.Equal(first, second);
            Assert.Contains(HttpStatusCode.InternalServerError, first);
            Assert.Contains(HttpStatusCode.OK, first);
        }
        finally
        {
            sim.Running.SetFault("faulty", FaultSpec.None);
        }
    }

    [Fact]
    public Task Hang_NeverAnswers_UntilTheClientCancels() => WithFault(new FaultSpec { Hang = true }, async () =>
    {
        var before = sim.Running.Calls("faulty").FaultsInjected;
        using var cts = new CancellationTokenSource();

        var request = sim.Http.GetAsync(sim.Running.BaseUrl("faulty") + "/availability", cts.Token);
        // The request hangs at the simulator (a fixed delay could race a slow first request on a cold machine).
        for (var i = 0; i < 400 && sim.Running.Calls("faulty").FaultsInjected == before; i++) await Task.Delay(25);
        Assert.True(sim.Running.Calls("faulty").FaultsInjected > before);
        await Task.Delay(200);
        Assert.False(request.IsCompleted, "a hanging provider answered");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    });

    [Fact]
    public Task Latency_DelaysTheAnswer() => WithFault(new FaultSpec { Latency = TimeSpan.FromMilliseconds(300) }, async () =>
    {
        var watch = Stopwatch.StartNew();
        var response = await sim.SyncAsync("faulty", Query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
    });

    [Fact]
    public Task MalformedBody_IsNotWellFormedXml() => WithFault(new FaultSpec { MalformedBody = true }, async () =>
    {
        var response = await sim.SyncAsync("faulty", Query);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.ThrowsAny<XmlException>(() => new XmlDocument { XmlResolver = null }.LoadXml(body));
    });

    [Fact]
    public Task TruncatedBody_CutsTheStream() => WithFault(new FaultSpec { TruncatedBody = true }, async () =>
    {
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            var response = await sim.SyncAsync("faulty", Query);
            await response.Content.ReadAsByteArrayAsync();
        });
    });

    [Fact]
    public Task HugeResult_IgnoresMaxRecAndTop() => WithFault(new FaultSpec { HugeResult = true, HugeResultRows = 5_000 }, async () =>
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("faulty", Query, ("MAXREC", "10")));

        Assert.True(table.Rows.Count >= 5_000, $"{table.Rows.Count} rows");
        Assert.Equal("OK", table.Status);
    });

    [Fact]
    public Task BrokenMetadata_DropsTheTimeColumnFromTables() => WithFault(new FaultSpec { BrokenMetadata = true }, async () =>
    {
        var broken = await sim.Http.GetStringAsync(sim.Running.BaseUrl("faulty") + "/tables");
        sim.Running.SetFault("faulty", FaultSpec.None);
        var healthy = await sim.Http.GetStringAsync(sim.Running.BaseUrl("faulty") + "/tables");

        Assert.DoesNotContain("<name>t_min</name>", broken, StringComparison.Ordinal);
        Assert.Contains("<name>t_max</name>", broken, StringComparison.Ordinal);
        Assert.Contains("<name>t_min</name>", healthy, StringComparison.Ordinal);
    });

    [Fact]
    public Task AlwaysFail_AlsoHitsDataDownloads() => WithFault(new FaultSpec { AlwaysFail = true }, async () =>
    {
        var response = await sim.Http.GetAsync(sim.Running.DataUrl("faulty") + "?ID=anything");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    });
}
