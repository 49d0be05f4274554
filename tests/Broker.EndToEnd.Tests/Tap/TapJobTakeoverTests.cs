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
    internal const string Query = "SELECT provider, fileid FROM vso.records " +
                                 "WHERE time_end >= '2022-03-21T08:00:00' AND time_start <= '2022-03-21T10:00:00' ORDER BY fileid";
    private static readonly XNamespace Uws = "http://www.ivoa.net/xml/UWS/v1.0";

    [Fact]
    public async Task AsyncJob_StartedOnOneInstance_IsReadAndDeletedThroughAnother_AndFinishesThereAfterTheFirstStops()
    {
        await using var cluster = await SharedStores.StartAsync("tap_takeover");
        var (postgres, sims, yaml, settings) = (cluster.Postgres, cluster.Sims, cluster.Yaml, cluster.Settings);
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

        await AssertFinishedOnSecondAsync(http, second, job, postgres, "tap_takeover");

        using var delete = await http.DeleteAsync(new Uri(second.BaseUrl, $"tap/async/{job}"));
        Assert.Equal(HttpStatusCode.SeeOther, delete.StatusCode);
        using var gone = await http.GetAsync(new Uri(second.BaseUrl, $"tap/async/{job}"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("0", postgres.Psql("tap_takeover", $"SELECT count(*) FROM job_result WHERE job_id = '{job}'").Trim());
    }

    /// <summary>What two broker instances share: PostgreSQL (jobs, results), Redis (sessions) and one slow-able SOAR simulator.</summary>
    internal sealed class SharedStores : IAsyncDisposable
    {
        private RedisServer? _redis;

        public required PostgresServer Postgres { get; init; }
        public required RunningSimulators Sims { get; init; }
        public required string Yaml { get; init; }
        public required Dictionary<string, string> Settings { get; init; }

        public static async Task<SharedStores> StartAsync(string database)
        {
            var postgres = await Task.Run(PostgresServer.StartNew);
            var connection = await Task.Run(() => postgres.CreateDatabase(database));
            var redis = await RedisServer.StartAsync();
            var sims = await SimulatorHost.StartAsync(new SimulatorOptions
            {
                Providers = [new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 31, RecordCount = 5_000 }],
            });
            return new SharedStores
            {
                _redis = redis, Postgres = postgres, Sims = sims,
                Yaml = $"providers:\n  soar:\n    type: tap\n    url: {sims.TapUrl("soar")}\n    cache: {{ enabled: false }}\n" +
                       "    resilience: { timeout: 60s, retries: 0 }\n    options: { profile: soar, mode: sync }\n",
                Settings = new Dictionary<string, string>
                {
                    ["Search:Deadline"] = "00:01:30", ["Sessions:RateLimitPerMinute"] = "0",
                    ["Postgres:ConnectionString"] = connection, ["Redis:Configuration"] = redis.Configuration,
                    // The production budget (250 ms) makes a request session-less on a loaded machine, and a job is
                    // only its session's: one such request read the job as 404.
                    ["Sessions:RedisTimeout"] = "00:00:05",
                    ["Tap:JobLease"] = "00:00:02", ["Tap:JobPollInterval"] = "00:00:00.200",
                },
            };
        }

        public async ValueTask DisposeAsync()
        {
            await Sims.DisposeAsync();
            if (_redis is not null) await _redis.DisposeAsync();
            Postgres.Dispose();
        }
    }

    /// <summary>The job completes on <paramref name="second"/> in its second attempt, with the rows a sync query returns.</summary>
    internal static async Task AssertFinishedOnSecondAsync(HttpClient http, BrokerHost second, string job, PostgresServer postgres, string database)
    {
        await Wait.UntilAsync(async () => await PhaseAsync(http, second, job, wait: 10) is "COMPLETED" or "ERROR", TimeSpan.FromSeconds(90), "the job to finish on the second instance");
        Assert.Equal("COMPLETED", await PhaseAsync(http, second, job));
        Assert.Equal("2", postgres.Psql(database, $"SELECT attempts FROM job WHERE id = '{job}'").Trim());
        var result = await http.GetStringAsync(new Uri(second.BaseUrl, $"tap/async/{job}/results/result"));
        var sync = await http.GetStringAsync(new Uri(second.BaseUrl, "tap/sync?LANG=ADQL&FORMAT=csv&QUERY=" + Uri.EscapeDataString(Query)));
        Assert.True(result.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 1, result);
        Assert.Equal(sync, result);
    }

    internal static async Task<string> PhaseAsync(HttpClient http, BrokerHost broker, string job, int wait = 0)
    {
        var url = new Uri(broker.BaseUrl, $"tap/async/{job}" + (wait > 0 ? "?WAIT=" + wait.ToString(CultureInfo.InvariantCulture) : ""));
        return XDocument.Parse(await http.GetStringAsync(url)).Root!.Element(Uws + "phase")!.Value;
    }
}
