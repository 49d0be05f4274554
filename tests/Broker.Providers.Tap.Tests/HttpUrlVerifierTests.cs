using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Providers.Tap.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Providers.Tap.Tests;

public sealed class HttpUrlVerifierTests : IAsyncLifetime
{
    private FakeTapServer _server = null!;
    private HttpUrlVerifier _verifier = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeTapServer.StartAsync();
        var registry = TapHarness.Registry(TapHarness.Yaml("p", _server.TapUrl, "profile: obscore\ndataUrlHosts: [data.example.org]"));
        _verifier = new HttpUrlVerifier(new ProviderCatalog(registry), TimeProvider.System, NullLogger<HttpUrlVerifier>.Instance);
    }

    public async Task DisposeAsync()
    {
        _verifier.Dispose();
        await _server.DisposeAsync();
    }

    private Task<FileLocation> VerifyAsync(string path) =>
        _verifier.VerifyAsync("p", new FileLocation("f", FileStatus.Ok, new Uri(_server.Root, path).AbsoluteUri), default);

    [Fact]
    public async Task VerifyAsync_FileServed_IsOkWithTypeAndSize()
    {
        _server.On("HEAD /files/ok.fits", new Answer(200, "application/fits", new byte[2880]));

        var result = await VerifyAsync("files/ok.fits");

        Assert.Equal(FileStatus.Ok, result.Status);
        Assert.Equal("application/fits", result.ContentType);
        Assert.Equal(2880, result.SizeBytes);
    }

    [Fact]
    public async Task VerifyAsync_NotFound_IsBroken()
    {
        var result = await VerifyAsync("files/gone.fits");

        Assert.Equal(FileStatus.Broken, result.Status);
        Assert.StartsWith("HTTP 404", result.Detail);
    }

    [Fact]
    public async Task VerifyAsync_ServerError_IsBroken()
    {
        _server.On("HEAD /files/e.fits", Answer.Text(503, "busy"));

        var result = await VerifyAsync("files/e.fits");

        Assert.Equal(FileStatus.Broken, result.Status);
        Assert.StartsWith("HTTP 503", result.Detail);
    }

    [Fact]
    public async Task VerifyAsync_HtmlPage_IsBroken()
    {
        _server.On("HEAD /files/login.fits", Answer.Text(200, "<html>please log in</html>", "text/html; charset=utf-8"));

        var result = await VerifyAsync("files/login.fits");

        Assert.Equal(FileStatus.Broken, result.Status);
        Assert.Contains("HTML", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_HeadNotAllowed_FallsBackToRangedGet()
    {
        _server.On("HEAD /files/nohead.fits", Answer.Text(405, "no HEAD"));
        _server.On("GET /files/nohead.fits", async (ctx, _) =>
        {
            Assert.Equal("bytes=0-0", ctx.Request.Headers.Range.ToString());
            ctx.Response.StatusCode = 206;
            ctx.Response.ContentType = "application/fits";
            ctx.Response.Headers.ContentRange = "bytes 0-0/5760";
            await ctx.Response.Body.WriteAsync(new byte[1]);
        });

        var result = await VerifyAsync("files/nohead.fits");

        Assert.Equal(FileStatus.Ok, result.Status);
        Assert.Equal(5760, result.SizeBytes);
    }

    [Fact]
    public async Task VerifyAsync_ForeignHost_IsBrokenWithoutAnyRequest()
    {
        var result = await _verifier.VerifyAsync("p", new FileLocation("f", FileStatus.Ok, "http://192.0.2.1/x.fits"), default);

        Assert.Equal(FileStatus.Broken, result.Status);
        Assert.Equal("host and port not in registry", result.Detail);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task VerifyAsync_ProvidersHostOnAnotherPort_IsBrokenWithoutAnyRequest()
    {
        var url = new UriBuilder(_server.TapUrl) { Port = _server.Root.Port == 1 ? 2 : 1, Path = "/x.fits" }.Uri.AbsoluteUri;

        var result = await _verifier.VerifyAsync("p", new FileLocation("f", FileStatus.Ok, url), default);

        Assert.Equal(FileStatus.Broken, result.Status);
        Assert.Equal("host and port not in registry", result.Detail);
    }

    [Fact]
    public async Task VerifyAsync_RedirectToForeignHost_IsNotFollowed()
    {
        _server.On("HEAD /files/moved.fits", (ctx, _) =>
        {
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = "http://192.0.2.1/x.fits";
            return Task.CompletedTask;
        });

        var result = await VerifyAsync("files/moved.fits");

        Assert.Equal(FileStatus.Broken, result.Status);
        Assert.Equal("redirect to 192.0.2.1: host and port not in registry", result.Detail);
    }
}
