using System.Net;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// A broker started on an empty PostgreSQL database: its job executor and sweeper wait for the schema migration, so
/// nothing queries the job table before it exists (PostgreSQL would log "relation \"job\" does not exist"), and an
/// async TAP job created right after start-up runs to completion. The stores are the job-takeover tests' own.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class TapFreshDatabaseTests
{
    [Fact]
    public async Task FreshDatabase_NoStatementFailsBeforeTheMigration_AndAJobRuns()
    {
        await using var stores = await TapJobTakeoverTests.SharedStores.StartAsync("tap_fresh");

        await using (var broker = await BrokerHost.StartAsync(stores.Yaml, stores.Settings))
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = broker.BaseUrl };
            using var create = await http.PostAsync("tap/async", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["LANG"] = "ADQL", ["QUERY"] = "SELECT TOP 3 table_name FROM TAP_SCHEMA.tables", ["FORMAT"] = "csv", ["PHASE"] = "RUN",
            }));
            Assert.Equal(HttpStatusCode.SeeOther, create.StatusCode);
            var job = create.Headers.Location!.Segments.Last();
            await Wait.UntilAsync(async () => await TapJobTakeoverTests.PhaseAsync(http, broker, job, wait: 5) is "COMPLETED" or "ERROR",
                TimeSpan.FromSeconds(60), "the job to finish");
            Assert.Equal("COMPLETED", await TapJobTakeoverTests.PhaseAsync(http, broker, job));
        }

        var failures = stores.Postgres.ServerLog().Split('\n').Where(l => l.Contains("ERROR:", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 0, "PostgreSQL logged failed statements:\n" + string.Join('\n', failures));
    }
}
