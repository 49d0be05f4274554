using System.Text.Json;
using Broker.Core.Services;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// No UWS job is left on a real DaCHS, also when DaCHS is restarted while the broker's job runs: the DELETE the search
/// sends fails (DaCHS is down), the broker remembers the job, and its janitor deletes it once DaCHS is back.
/// </summary>
[Collection(DachsCollection.Name)]
[Trait("Category", "Dachs")]
public sealed class DachsJobCleanupTests(DachsFixture f, ITestOutputHelper output)
{
    private static readonly string[] Running = ["PENDING", "QUEUED", "EXECUTING"];

    [Fact]
    public async Task DachsRestartedMidJob_TheJobIsDeletedOnDachsAfterwards()
    {
        var (start, end) = DachsCase.Months;
        var query = $"/api/v1/search?start={start:yyyy-MM-ddTHH:mm:ssZ}&end={end:yyyy-MM-ddTHH:mm:ssZ}&providers={DachsFixture.ObsCore}-async&limit=100000";
        var orphans = f.Broker.Services.GetRequiredService<OrphanedJobs>();
        await Wait.UntilAsync(async () => (await f.Tap.JobsAsync()).Count == 0, TimeSpan.FromSeconds(60), "no job on DaCHS before the test");

        // The job must still run on DaCHS when DaCHS stops; a search whose job ends first is tried again.
        for (var attempt = 1; ; attempt++)
        {
            var search = f.Broker.Http.GetAsync(query);
            IReadOnlyList<(string Id, string Phase)> jobs = [];
            await Wait.UntilAsync(async () => search.IsCompleted || (jobs = await f.Tap.JobsAsync()).Any(j => Running.Contains(j.Phase)),
                TimeSpan.FromSeconds(60), "the broker's job to run on DaCHS");
            if (search.IsCompleted)
            {
                (await search).Dispose();
                Assert.True(attempt < 5, "the job always ended before DaCHS could be stopped");
                continue;
            }
            output.WriteLine($"attempt {attempt}: stopping DaCHS while it holds {string.Join(", ", jobs)}");
            await f.Dachs.StopAsync();

            using var response = await search;
            var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            var outcome = answer.GetProperty("providers").EnumerateArray().Single();
            Assert.True(outcome.GetProperty("status").GetString() is "error" or "timeout", $"DaCHS went away mid-job: {outcome}");
            Assert.True(orphans.Waiting >= 1, "the job the broker could not delete is remembered");

            await f.Dachs.StartAsync();
            var afterRestart = await f.Tap.JobsAsync();
            output.WriteLine($"after the restart DaCHS lists {afterRestart.Count} job(s): {string.Join(", ", afterRestart)}");
            await Wait.UntilAsync(async () => (await f.Tap.JobsAsync()).Count == 0, TimeSpan.FromSeconds(60),
                "every job deleted on DaCHS after its restart");
            await Wait.UntilAsync(() => Task.FromResult(orphans.Waiting == 0), TimeSpan.FromSeconds(10), "the janitor to forget the deleted job");
            return;
        }
    }
}
