using System.Text.Json;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Dachs;

/// <summary>
/// The broker against a real TAP server nobody here wrote: for every search of <see cref="DachsCase"/>, each
/// DaCHS-backed provider's status and count equal DaCHS's own COUNT(*) under the documented rules — asked
/// synchronously, through UWS jobs, in auto mode and with JSON answers — and no job is left on DaCHS afterwards.
/// One search per (variant, case) is shared by the three per-provider checks.
/// </summary>
[Collection(DachsCollection.Name)]
[Trait("Category", "Dachs")]
public sealed class DachsCountTests(DachsFixture f, ITestOutputHelper output)
{
    private static readonly string[] Tables = [DachsFixture.Soar, DachsFixture.ObsCore, DachsFixture.Other];

    public static TheoryData<string, string, string> Searches()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var table in Tables)
        {
            var rows = DachsCase.All.Select(c => ("sync", c.Name))
                .Concat(DachsFixture.Variants.Where(v => v != "sync").SelectMany(v => DachsCase.Repeated.Select(n => (v, n))));
            foreach (var (variant, name) in rows) data.Add(variant, name, table);
        }
        return data;
    }

    /// <summary>
    /// Every provider entry is minimal (type, url, profile, table): the SOAR-like table has no side views and its
    /// "level"/"descriptor" are delimited names; ObsCore has no detector column (skipped with its reason); the other
    /// table spells SOLO "Solar Orbiter".
    /// </summary>
    [Theory]
    [MemberData(nameof(Searches))]
    public Task ProviderCount_EqualsDachsCount(string variant, string caseName, string table) => CheckAsync(variant, caseName, table);

    private async Task CheckAsync(string variant, string caseName, string table)
    {
        var search = DachsCase.All.Single(c => c.Name == caseName);
        var answer = JsonDocument.Parse(await f.SearchOnceAsync(search, variant)).RootElement;
        var id = $"{table}-{variant}";
        var outcomes = answer.GetProperty("providers").EnumerateArray().Where(p => p.GetProperty("id").GetString() == id).ToList();
        Assert.True(outcomes.Count == 1, $"{caseName}: {outcomes.Count} status lines for {id} in {answer.GetProperty("providers")}");
        var outcome = outcomes[0];
        var status = outcome.GetProperty("status").GetString();

        var adql = search.ReferenceAdql(table);
        if (adql is null)
        {
            output.WriteLine($"| {caseName} | {id} | {status} | (cannot filter) |");
            Assert.True(status == "skipped", $"{caseName}/{id}: a filter the table cannot apply must be skipped, got {outcome}");
            Assert.False(string.IsNullOrWhiteSpace(outcome.GetProperty("message").GetString()), $"{caseName}/{id}: skipped without a reason");
        }
        else
        {
            var expected = await f.ReferenceCountAsync(adql);
            var found = ExactCount(outcome, $"{caseName}/{id}");
            output.WriteLine($"| {caseName} | {id} | {found} | {expected} |");
            Assert.True(expected == found, $"{caseName}/{id}: broker {found}, DaCHS {expected} for {adql}\n{outcome}");
            Assert.True(status == (expected == 0 ? "empty" : "ok"), $"{caseName}/{id}: status {status} for {expected} matching rows\n{outcome}");
        }
        if (variant is "async" or "auto") await AssertNoJobsLeftAsync();
    }

    /// <summary>The provider's exact count: <c>found</c> when the broker reports it (it must then be exact), else the records of an uncut answer.</summary>
    private static long ExactCount(JsonElement outcome, string what)
    {
        if (outcome.TryGetProperty("found", out var found))
        {
            Assert.True(!outcome.TryGetProperty("foundExact", out var exact) || exact.GetBoolean(), $"{what}: the count is not exact\n{outcome}");
            return found.GetInt64();
        }
        Assert.False(outcome.GetProperty("truncated").GetBoolean(), $"{what}: a cut answer without an exact count\n{outcome}");
        return outcome.GetProperty("records").GetInt64();
    }

    /// <summary>Every UWS job the broker created on DaCHS is gone (DaCHS lists all jobs; the reference counts are sync).</summary>
    private async Task AssertNoJobsLeftAsync()
    {
        IReadOnlyList<(string Id, string Phase)> jobs = [];
        try
        {
            await Broker.Testing.Wait.UntilAsync(async () => (jobs = await f.Tap.JobsAsync()).Count == 0, "DaCHS jobs to be deleted");
        }
        catch (TimeoutException)
        {
            // reported below with the jobs left
        }
        Assert.True(jobs.Count == 0, $"jobs left on DaCHS: {string.Join(", ", jobs)}");
    }
}
