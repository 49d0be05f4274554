using System.Globalization;
using System.Net;
using System.Xml;
using Broker.Testing;
using Microsoft.Extensions.Time.Testing;

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
        // The request reached the simulator and hangs there; only the client's cancellation ends it (an answer before
        // the cancel would make the request succeed, and the assertion below fail).
        await Wait.UntilAsync(() => sim.Running.Calls("faulty").FaultsInjected > before, "the simulator to hang the request");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    });

    [Fact]
    public async Task Latency_DelaysTheAnswerUntilItsTimeHasPassed()
    {
        // A simulator of its own on a fake clock: the answer waits for the clock, not for the machine's speed.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture));
        await using var slow = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            Providers = [new SimulatedProviderOptions { Name = "slow", Kind = SimulatorKind.ObsCore, Seed = 4, RecordCount = 10 }],
        });
        slow.SetFault("slow", new FaultSpec { Latency = TimeSpan.FromMilliseconds(300) });

        var start = clock.GetUtcNow();
        var request = sim.Http.GetAsync(slow.BaseUrl("slow") + "/availability");
        // The clock moves in 25 ms steps until the answer arrives: it cannot arrive before 300 ms of the clock passed.
        await Wait.UntilAsync(() =>
        {
            if (request.IsCompleted) return true;
            clock.Advance(TimeSpan.FromMilliseconds(25));
            return false;
        }, "the delayed answer");
        using var response = await request;

        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromMilliseconds(300), $"answered after {clock.GetUtcNow() - start} of the clock");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

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
