using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// Two broker instances on one PostgreSQL (jobs, results) and one Redis (sessions): an async TAP job started on one is
/// read through the other, survives the first instance stopping mid-run without releasing anything (its lease runs
/// out and the second takes the job over), finishes there, and is deleted through it.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class TapJobTakeoverTests
{
    private const string Query = "SELECT provider, fileid FROM vso.records " +
                                 "WHERE time_end >= '2022-03-21T08:00:00' AND time_start <= '2022-03-21T10:00:00' ORDER BY fileid";
    private static readonly XNamespace Uws = "http://www.ivoa.net/xml/UWS/v1.0";

    [Fact]
    public async Task AsyncJob_StartedOnOneInstance_IsReadAndDeletedThroughAnother_AndFinishesThereAfterTheFirstStops()
    {
        using var postgres = await Task.Run(PostgresServer.StartNew);
        var database = await Task.Run(() => postgres.CreateDatabase("tap_takeover"));
        await using var redis = await RedisServer.StartAsync();
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 31, RecordCount = 5_000 }],
        });
        var yaml = $"providers:\n  soar:\n    type: tap\n    url: {sims.TapUrl("soar")}\n    cache: {{ enabled: false }}\n" +
                   "    resilience: { timeout: 60s, retries: 0 }\n    options: { profile: soar, mode: sync }\n";
        var settings = new Dictionary<string, string>
        {
            ["Search:Deadline"] = "00:01:30", ["Sessions:RateLimitPerMinute"] = "0",
            ["Postgres:ConnectionString"] = database, ["Redis:Configuration"] = redis.Configuration,
            ["Tap:JobLease"] = "00:00:02", ["Tap:JobPollInterval"] = "00:00:00.200",
        };
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(2) };

        var first = await BrokerHost.StartAsync(yaml, settings);
        string session, job;
        try
        {
            using (var hello = await http.GetAsync(new Uri(first.BaseUrl, "api/v1/providers")))
                session = hello.Headers.GetValues("VSO-Session").Single();
            http.DefaultRequestHeaders.Add("VSO-Session", session);
            // The provider is slow while the first instance runs the job.
            sims.SetFault("soar", new FaultSpec { Latency = TimeSpan.FromSeconds(60) });
            using var create = await http.PostAsync(new Uri(first.BaseUrl, "tap/async"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["LANG"] = "ADQL", ["QUERY"] = Query, ["FORMAT"] = "csv", ["PHASE"] = "RUN",
            }));
            Assert.Equal(HttpStatusCode.SeeOther, create.StatusCode);
            job = create.Headers.Location!.Segments.Last();
            // The only instance so far claims the job (EXECUTING) and waits on the slow provider.
            await Wait.UntilAsync(async () => await http.GetStringAsync(new Uri(first.BaseUrl, $"tap/async/{job}/phase")) == "EXECUTING",
                TimeSpan.FromSeconds(60), "the first instance to run the job");
        }
        catch
        {
            await first.DisposeAsync();
            throw;
        }

        await using var second = await BrokerHost.StartAsync(yaml, settings);
        Assert.Equal("EXECUTING", await PhaseAsync(http, second, job));
        using (var stranger = new HttpClient { BaseAddress = second.BaseUrl })
        using (var notYours = await stranger.GetAsync($"tap/async/{job}"))
            Assert.Equal(HttpStatusCode.NotFound, notYours.StatusCode);

        // The first instance goes away mid-run, writing nothing; the provider is fast again for whoever runs the job next.
        await first.DisposeAsync();
        sims.SetFault("soar", FaultSpec.None);

        await Wait.UntilAsync(async () => await PhaseAsync(http, second, job, wait: 10) is "COMPLETED" or "ERROR", TimeSpan.FromSeconds(90), "the job to finish on the second instance");
        Assert.Equal("COMPLETED", await PhaseAsync(http, second, job));
        Assert.Equal("2", postgres.Psql("tap_takeover", $"SELECT attempts FROM job WHERE id = '{job}'").Trim());
        var result = await http.GetStringAsync(new Uri(second.BaseUrl, $"tap/async/{job}/results/result"));
        var sync = await http.GetStringAsync(new Uri(second.BaseUrl, "tap/sync?LANG=ADQL&FORMAT=csv&QUERY=" + Uri.EscapeDataString(Query)));
        Assert.True(result.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 1, result);
        Assert.Equal(sync, result);

        using var delete = await http.DeleteAsync(new Uri(second.BaseUrl, $"tap/async/{job}"));
        Assert.Equal(HttpStatusCode.SeeOther, delete.StatusCode);
        using var gone = await http.GetAsync(new Uri(second.BaseUrl, $"tap/async/{job}"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("0", postgres.Psql("tap_takeover", $"SELECT count(*) FROM job_result WHERE job_id = '{job}'").Trim());
    }

    private static async Task<string> PhaseAsync(HttpClient http, BrokerHost broker, string job, int wait = 0)
    {
        var url = new Uri(broker.BaseUrl, $"tap/async/{job}" + (wait > 0 ? "?WAIT=" + wait.ToString(CultureInfo.InvariantCulture) : ""));
        return XDocument.Parse(await http.GetStringAsync(url)).Root!.Element(Uws + "phase")!.Value;
    }
}
