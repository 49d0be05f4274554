using System.Net;
using System.Text;
using Broker.Server.Hosting;
using Broker.Server.Tests.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.Hosting;

/// <summary>
/// What compression must not do: hold back a streamed search's events until the end (each event is flushed through
/// the compressor as it is written), or compress again what is already compressed (files, archives, images).
/// </summary>
public class CompressionBehaviourTests
{
    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Stream_Compressed_EventsArriveWhileTheSlowProviderIsStillWorking(string encoding)
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia").Replace("timeout: 1s", "timeout: 60s"));
        var slowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3, "SHARED"));
        broker.Providers["aia"].Behaviour = async ct =>
        {
            await slowGate.Task.WaitAsync(ct);
            return ScriptedAdapter.Records("aia", 4, "SHARED");
        };
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = broker.BaseUrl };
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/search/stream?start=2022-03-21&end=2022-03-22&instrument=SHARED");
        request.Headers.AcceptEncoding.ParseAdd(encoding);

        await using var stream = await SseStream.OpenAsync(http, request);

        Assert.Equal([encoding], stream.ContentEncoding);
        Assert.Equal("plan", (await stream.NextAsync()).Name);
        var early = await stream.NextAsync();
        Assert.Equal("provider", early.Name);
        Assert.Equal("eui", early.Data.GetProperty("id").GetString());
        Assert.False(slowGate.Task.IsCompleted); // the event came through the compressor before the search could end
        slowGate.SetResult();
        Assert.Equal("provider", (await stream.NextAsync()).Name);
        Assert.Equal("summary", (await stream.NextAsync()).Name);
    }

    [Theory]
    [InlineData("/file.fits.gz", "application/gzip")]
    [InlineData("/file.fits", "application/fits")]
    [InlineData("/image.png", "image/png")]
    [InlineData("/archive.zip", "application/zip")]
    [InlineData("/download", "application/octet-stream")]
    public async Task AlreadyCompressedOrBinaryFiles_AreSentAsTheyAre(string path, string contentType)
    {
        await using var app = await StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(app.Urls.First()) };
        var request = new HttpRequestMessage(HttpMethod.Get, path + "?type=" + Uri.EscapeDataString(contentType));
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var response = await http.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal(Payload.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/csv")]
    [InlineData("application/x-votable+xml")]
    [InlineData("text/javascript")]
    [InlineData("text/css")]
    [InlineData("text/html")]
    public async Task TextAnswers_AreCompressed(string contentType)
    {
        await using var app = await StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri(app.Urls.First()) };
        var request = new HttpRequestMessage(HttpMethod.Get, "/text?type=" + Uri.EscapeDataString(contentType));
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var response = await http.SendAsync(request);

        Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < Payload.Length / 4);
    }

    /// <summary>Compressible bytes, so a compressor would have shrunk them.</summary>
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("SIMPLE  =                    T / compressible header card ", 400)));

    /// <summary>A bare server with the broker's compression settings, answering any path with the given content type.</summary>
    private static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddBrokerCompression();
        var app = builder.Build();
        app.UseResponseCompression();
        app.Run(async http =>
        {
            http.Response.ContentType = http.Request.Query["type"].ToString();
            await http.Response.Body.WriteAsync(Payload);
        });
        await app.StartAsync();
        return app;
    }
}
