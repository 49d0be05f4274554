using System.Net;
using System.Xml.Linq;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// A broker started on an empty PostgreSQL database: its job executor and sweeper wait for the schema migration, so
/// nothing queries the job table before it exists (PostgreSQL would log "relation \"job\" does not exist"), and an
/// async TAP job created right after start-up runs to completion.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class TapFreshDatabaseTests
{
    private static readonly XNamespace Uws = "http://www.ivoa.net/xml/UWS/v1.0";

    [Fact]
    public async Task FreshDatabase_NoStatementFailsBeforeTheMigration_AndAJobRuns()
    {
        using var postgres = await Task.Run(PostgresServer.StartNew);
        var database = await Task.Run(() => postgres.CreateDatabase("tap_fresh"));
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers = [new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 7, RecordCount = 100 }],
        });
        var yaml = $"providers:\n  soar:\n    type: tap\n    url: {sims.TapUrl("soar")}\n    options: {{ profile: soar, mode: sync }}\n";
        var settings = new Dictionary<string, string>
        {
            ["Sessions:RateLimitPerMinute"] = "0", ["Postgres:ConnectionString"] = database, ["Tap:JobPollInterval"] = "00:00:00.100",
        };

        await using (var broker = await BrokerHost.StartAsync(yaml, settings))
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = broker.BaseUrl };
            using var create = await http.PostAsync("tap/async", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["LANG"] = "ADQL", ["QUERY"] = "SELECT TOP 3 table_name FROM TAP_SCHEMA.tables", ["FORMAT"] = "csv", ["PHASE"] = "RUN",
            }));
            Assert.Equal(HttpStatusCode.SeeOther, create.StatusCode);
            var job = create.Headers.Location!;
            string phase = "";
            await Wait.UntilAsync(async () =>
            {
                var doc = XDocument.Parse(await http.GetStringAsync(job + "?WAIT=5"));
                phase = doc.Root!.Element(Uws + "phase")!.Value;
                return phase is "COMPLETED" or "ERROR";
            }, TimeSpan.FromSeconds(60), "the job to finish");
            Assert.Equal("COMPLETED", phase);
        }

        var failures = postgres.ServerLog().Split('\n').Where(l => l.Contains("ERROR:", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, "PostgreSQL logged failed statements:\n" + string.Join('\n', failures));
    }
}
