using System.Net.Http.Json;
using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Testing;
using Broker.Core.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.EndToEnd.Tests;

/// <summary>TAP in depth end to end: GetData URLs that really download, async UWS jobs that are always cleaned up.</summary>
[Collection(FederationCollection.Name)]
public sealed class TapRetrievalTests(FederationFixture f)
{
    [Theory]
    [InlineData("soar")]
    [InlineData("sdo")]
    [InlineData("nrh")]
    public async Task GetData_ForSearchResults_GivesUrlsWhoseDownloadIsTheProvidersFile(string provider)
    {
        f.ResetFaults();
        var search = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers={provider}&limit=3");
        var ids = Json.Records(search).Select(r => r.GetProperty("fileId").GetString()!).ToList();
        Assert.NotEmpty(ids);

        using var response = await f.Broker.Http.PostAsJsonAsync("/api/v1/getdata", new { files = new[] { new { provider, fileIds = ids } }, verify = true });
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var files = doc.GetProperty("providers")[0].GetProperty("files").EnumerateArray().ToList();

        Assert.Equal(ids.Count, files.Count);
        foreach (var file in files)
        {
            Assert.Equal("ok", file.GetProperty("status").GetString());
            var url = file.GetProperty("url").GetString()!;
            var bytes = await f.Broker.Http.GetByteArrayAsync(url);
            Assert.Equal(f.Sims.FileContent(provider, file.GetProperty("fileId").GetString()!), bytes);
            Assert.StartsWith("SIMPLE  =", System.Text.Encoding.ASCII.GetString(bytes, 0, 9));
        }
    }

    [Fact]
    public async Task GetData_SoarIdsWithoutLookup_AreUnverifiedUntilChecked()
    {
        f.ResetFaults();
        var search = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=soar&limit=2");
        var ids = Json.Records(search).Select(r => r.GetProperty("fileId").GetString()!).ToList();
        Assert.NotEmpty(ids);

        // Another client without the session: the broker has no record for these ids, so SOAR's URL is built from the id, and says so.
        var built = await GetDataGroup(new { files = new[] { new { provider = "soar", fileIds = ids } } });
        Assert.Equal("unverified", built.GetProperty("status").GetString());
        Assert.All(built.GetProperty("files").EnumerateArray(), file => Assert.Equal("unverified", file.GetProperty("status").GetString()));

        var verified = await GetDataGroup(new { files = new[] { new { provider = "soar", fileIds = ids.Append("solo_L2_nosuchfile_20220321").ToArray() } }, verify = true });
        Assert.Equal("partial", verified.GetProperty("status").GetString());
        Assert.Equal(ids.Select(_ => "ok").Append("broken"),
            verified.GetProperty("files").EnumerateArray().Select(file => file.GetProperty("status").GetString()));
    }

    private async Task<JsonElement> GetDataGroup(object body)
    {
        using var sessionless = new HttpClient { BaseAddress = f.Broker.BaseUrl };
        using var response = await sessionless.PostAsJsonAsync("/api/v1/getdata", body);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("providers")[0].Clone();
    }

    [Fact]
    public async Task GetData_UnknownFileWithVerify_IsReportedBrokenNotHandedOver()
    {
        f.ResetFaults();
        using var response = await f.Broker.Http.PostAsJsonAsync("/api/v1/getdata",
            new { files = new[] { new { provider = "soar", fileIds = new[] { "solo_L2_nosuchfile_20220321" } } }, verify = true });
        var file = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("providers")[0].GetProperty("files")[0];

        Assert.NotEqual("ok", file.GetProperty("status").GetString());
        Assert.Contains("404", file.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AsyncSearch_SlowJob_CompletesAndTheJobIsDeleted()
    {
        f.ResetFaults();
        f.Sims.SetFault("slowjobs", new FaultSpec { JobDuration = TimeSpan.FromMilliseconds(700) });

        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=slowjobs");

        Assert.Equal("ok", Json.Status(doc, "slowjobs"));
        var calls = f.Sims.Calls("slowjobs");
        Assert.Equal(1, calls.AsyncJobsCreated);
        Assert.Equal(1, calls.JobsDeleted);
        Assert.Empty(calls.AliveJobs);
    }

    [Fact]
    public async Task AsyncSearch_ProviderRefusesTheDelete_TheJobIsRememberedAndDeletedLater()
    {
        f.ResetFaults();
        f.Sims.SetFault("slowjobs", new FaultSpec { RefuseJobDelete = true });

        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=slowjobs");

        Assert.Equal("ok", Json.Status(doc, "slowjobs"));
        Assert.Single(f.Sims.Calls("slowjobs").AliveJobs);
        Assert.Equal(0, f.Sims.Calls("slowjobs").JobsDeleted);
        var orphans = f.Broker.Services.GetRequiredService<OrphanedJobs>();
        Assert.Equal(1, orphans.Waiting);
        // The provider takes DELETEs again: the broker's janitor deletes the job it remembered, without another search.
        f.Sims.SetFault("slowjobs", FaultSpec.None);
        await Wait.UntilAsync(() => Task.FromResult(f.Sims.Calls("slowjobs").AliveJobs.Count == 0), TimeSpan.FromSeconds(30),
            "the orphaned job to be deleted on the simulator");
        Assert.Equal(1, f.Sims.Calls("slowjobs").JobsDeleted);
        Assert.Equal(1, f.Sims.Calls("slowjobs").AsyncJobsCreated);
        await Wait.UntilAsync(() => Task.FromResult(orphans.Waiting == 0), TimeSpan.FromSeconds(10), "the orphaned-jobs gauge to go back to 0");
    }

    [Fact]
    public async Task AsyncSearch_JobNeverFinishes_TimeoutAndTheJobIsDeleted()
    {
        f.ResetFaults();
        f.Sims.SetFault("slowjobs", new FaultSpec { JobsNeverFinish = true });

        var doc = await Json.GetAsync(f.Broker.Http, $"/api/v1/search?{FederationFixture.Window}&providers=slowjobs,soar");

        Assert.Equal("timeout", Json.Status(doc, "slowjobs"));
        Assert.Equal("ok", Json.Status(doc, "soar"));
        await FederatedSearchTests.WaitUntil(() => f.Sims.Calls("slowjobs").AliveJobs.Count == 0);
        Assert.Equal(1, f.Sims.Calls("slowjobs").JobsDeleted);
    }

    [Fact]
    public async Task AsyncSearch_ClientCancels_TheJobIsDeleted()
    {
        f.ResetFaults();
        f.Sims.SetFault("slowjobs", new FaultSpec { JobsNeverFinish = true });
        using var cts = new CancellationTokenSource();

        var search = f.Broker.Http.GetAsync($"/api/v1/search?{FederationFixture.Window}&providers=slowjobs", cts.Token);
        await FederatedSearchTests.WaitUntil(() => f.Sims.Calls("slowjobs").AsyncJobsCreated == 1);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);

        await FederatedSearchTests.WaitUntil(() => f.Sims.Calls("slowjobs").AliveJobs.Count == 0 && f.Sims.Calls("slowjobs").JobsDeleted == 1);
    }
}
