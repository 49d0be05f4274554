using System.Net;
using System.Net.Http.Headers;
using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>
/// GetData hands a user with credentials broker links for the provider's files; the link streams the file with that
/// user's credentials, byte-identical, with ranges and resumption, whether or not the provider itself serves ranges.
/// </summary>
public sealed class RestrictedDownloadTests : IAsyncLifetime
{
    private RestrictedArchive _archive = null!;

    public async Task InitializeAsync() => _archive = await RestrictedArchive.StartAsync();

    public async Task DisposeAsync() => await _archive.DisposeAsync();

    private TestBroker Start(string filesPath = "files", params string[] args) =>
        TestBroker.Start(RestrictedFactory.Yaml(_archive, filesPath: filesPath), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>(), args);

    private static async Task<(HttpClient Client, string Session, string Link, string FileId)> AliceLinkAsync(TestBroker broker)
    {
        var session = await Http.NewSessionAsync(broker.BaseUrl);
        var client = Http.Client(broker.BaseUrl, session);
        (await client.PutCredentialsAsync("vault", new { username = "alice", password = RestrictedArchive.Users["alice"] })).EnsureSuccessStatusCode();
        var (_, ids) = await client.SearchAsync();
        var fileId = ids.First(id => id.StartsWith("alice-restricted-", StringComparison.Ordinal));
        var link = (await client.GetDataAsync([fileId]))[fileId];
        return (client, session, link, fileId);
    }

    [Theory]
    [InlineData("files")]   // the provider serves ranges itself
    [InlineData("plain")]   // the provider ignores Range: the broker cuts the range
    public async Task RestrictedFile_ThroughTheGetDataLink_IsByteIdentical_AndRangesResume(string filesPath)
    {
        await using var broker = Start(filesPath);
        var (client, _, link, fileId) = await AliceLinkAsync(broker);
        var expected = RestrictedArchive.Content(fileId);
        using var download = Http.Client(new Uri(link)); // a download tool: no session, no cookie

        Assert.StartsWith(broker.BaseUrl + "api/v1/download/", link);
        Assert.EndsWith("/" + fileId, link); // clients that name files after the link's last segment get the file's name
        Assert.DoesNotContain(_archive.Url.Authority, link);
        using var direct = await new HttpClient().GetAsync(new Uri(_archive.Url, $"files/{fileId}"));
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode); // the provider's own URL would not work for the user

        using var whole = await download.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(expected, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal(expected.Length, whole.Content.Headers.ContentLength);
        var etag = whole.Headers.ETag!;

        // Resume after 100,000 bytes, as curl -C / wget -c / parfive do, guarded by If-Range.
        using var resume = new HttpRequestMessage(HttpMethod.Get, link);
        resume.Headers.Range = new RangeHeaderValue(100_000, null);
        resume.Headers.IfRange = new RangeConditionHeaderValue(etag);
        using var rest = await download.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal($"bytes 100000-{expected.Length - 1}/{expected.Length}", rest.Content.Headers.ContentRange!.ToString());
        Assert.Equal(expected[100_000..], await rest.Content.ReadAsByteArrayAsync());

        using var middle = new HttpRequestMessage(HttpMethod.Get, link);
        middle.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var part = await download.SendAsync(middle);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(expected[1000..2000], await part.Content.ReadAsByteArrayAsync());

        using var suffix = new HttpRequestMessage(HttpMethod.Get, link);
        suffix.Headers.Range = new RangeHeaderValue(null, 500);
        using var tail = await download.SendAsync(suffix);
        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal(expected[^500..], await tail.Content.ReadAsByteArrayAsync());

        // The file changed since (another ETag): the whole file, not a range of the wrong one.
        using var stale = new HttpRequestMessage(HttpMethod.Get, link);
        stale.Headers.Range = new RangeHeaderValue(100_000, null);
        stale.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"older\""));
        using var full = await download.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        Assert.Equal(expected.Length, (await full.Content.ReadAsByteArrayAsync()).Length);

        using var beyond = new HttpRequestMessage(HttpMethod.Get, link);
        beyond.Headers.Range = new RangeHeaderValue(expected.Length + 10, null);
        using var unsatisfiable = await download.SendAsync(beyond);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
        Assert.Equal($"bytes */{expected.Length}", unsatisfiable.Content.Headers.ContentRange!.ToString());

        using var head = await download.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(expected.Length, head.Content.Headers.ContentLength);
        client.Dispose();
    }

    [Fact]
    public async Task Links_AreBoundToTheirSession_AndRefuseTampering()
    {
        await using var broker = Start();
        var (client, _, link, fileId) = await AliceLinkAsync(broker);
        using var download = Http.Client(broker.BaseUrl);
        var cut = link.LastIndexOf('/'); // …/download/{token}/{file name}
        var tampered = link[..(cut - 6)] + (link[cut - 6] == 'A' ? 'B' : 'A') + link[(cut - 5)..];

        using var forged = await download.GetAsync(tampered);
        using var garbage = await download.GetAsync("/api/v1/download/not-a-token");
        // Bob's session cannot use its own credentials to get alice's file, and without alice's session the link dies.
        var bob = Http.Client(broker.BaseUrl, await Http.NewSessionAsync(broker.BaseUrl));
        (await bob.PutCredentialsAsync("vault", new { username = "bob", password = RestrictedArchive.Users["bob"] })).EnsureSuccessStatusCode();
        var bobsLink = (await bob.GetDataAsync([fileId]))[fileId];
        using var bobsTry = await download.GetAsync(bobsLink);
        (await client.DeleteAsync("/api/v1/sessions/current")).EnsureSuccessStatusCode();
        using var afterEnd = await download.GetAsync(link);

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", garbage.Content.Headers.ContentType!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, bobsTry.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, afterEnd.StatusCode);
        Assert.Contains("session", (await afterEnd.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Downloads_PerSession_AreBounded()
    {
        await using var broker = Start("files", "--Downloads:MaxConcurrentPerSession", "2");
        var (client, _, link, fileId) = await AliceLinkAsync(broker);
        using var download = Http.Client(broker.BaseUrl);
        _archive.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var held = new[] { download.GetAsync(link, HttpCompletionOption.ResponseHeadersRead), download.GetAsync(link, HttpCompletionOption.ResponseHeadersRead) };
        // Both hold a slot while the archive holds them; a third is refused at once.
        await Broker.Testing.Wait.UntilAsync(() => Task.FromResult(_archive.Waiting == 2), TimeSpan.FromSeconds(30), "two downloads held upstream");
        using var third = await download.GetAsync(link);
        _archive.Gate.SetResult();
        var done = await Task.WhenAll(held);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.All(done, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(RestrictedArchive.Content(fileId), await done[0].Content.ReadAsByteArrayAsync());
        using var afterwards = await download.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task FilesOfProvidersWithoutCredentials_KeepTheirOwnUrls()
    {
        await using var broker = Start();
        using var anonymous = Http.Client(broker.BaseUrl, await Http.NewSessionAsync(broker.BaseUrl));

        var urls = await anonymous.GetDataAsync(["public-0001"]);

        Assert.Equal(new Uri(_archive.Url, "files/public-0001").ToString(), urls["public-0001"]);
    }
}
