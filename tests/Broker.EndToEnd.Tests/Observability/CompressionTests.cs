using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.EndToEnd.Tests.Soap;

namespace Broker.EndToEnd.Tests.Observability;

/// <summary>Brotli and gzip answers of a real broker, decoded by curl (--compressed) and by Python's own decoders.</summary>
[Collection(FederationCollection.Name)]
public sealed class CompressionTests(FederationFixture f)
{
    private const string Csv = "/api/v1/search?" + FederationFixture.Window + "&providers=soar,sdo,nrh&limit=3000&format=csv";
    private const string JsonSearch = "/api/v1/search?" + FederationFixture.Window + "&providers=soar,sdo,nrh&limit=3000";

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task CsvAnswer_Compressed_DecodesWithCurlAndPython_ToTheSameBytes(string encoding)
    {
        f.ResetFaults();
        var plain = await PlainAsync(Csv);

        var python = (await PythonClient.RunAsync("compressed_fetch.py", Url(Csv), encoding)).Line("encoding", encoding);
        Assert.Equal(Sha256(plain), python.GetProperty("sha256").GetString());
        Assert.Equal(plain.Length, python.GetProperty("decodedBytes").GetInt32());
        Assert.True(python.GetProperty("compressedBytes").GetInt32() * 3 < plain.Length, $"{encoding}: {python}");

        var (headers, body) = await CurlAsync(Csv, encoding);
        Assert.Contains($"content-encoding: {encoding}", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(plain, body);
    }

    [Fact]
    public async Task JsonAnswer_Brotli_DecodesWithPythonAndCurl()
    {
        f.ResetFaults();
        var plain = JsonDocument.Parse(await PlainAsync(JsonSearch)).RootElement;

        var python = (await PythonClient.RunAsync("compressed_fetch.py", Url(JsonSearch), "br")).Line("encoding", "br");
        Assert.StartsWith("application/json", python.GetProperty("contentType").GetString());
        Assert.Equal(plain.GetProperty("records").GetArrayLength(), python.GetProperty("records").GetInt32());

        var (headers, body) = await CurlAsync(JsonSearch, "br");
        Assert.Contains("content-encoding: br", headers, StringComparison.OrdinalIgnoreCase);
        var viaCurl = JsonDocument.Parse(body).RootElement;
        Assert.Equal(plain.GetProperty("records").ToString(), viaCurl.GetProperty("records").ToString());
    }

    [Fact]
    public async Task NoAcceptEncoding_AnswerIsNotCompressed()
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = f.Broker.BaseUrl };
        using var response = await http.GetAsync(Csv);
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    private string Url(string path) => new Uri(f.Broker.BaseUrl, path).ToString();

    private async Task<byte[]> PlainAsync(string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = f.Broker.BaseUrl };
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        Assert.Empty(response.Content.Headers.ContentEncoding);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>curl --compressed with one coding offered; returns the response headers and the decoded body.</summary>
    private async Task<(string Headers, byte[] Body)> CurlAsync(string path, string encoding)
    {
        var dir = Directory.CreateTempSubdirectory("curl").FullName;
        try
        {
            var start = new ProcessStartInfo("curl") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-sS", "--fail", "--compressed", "-H", $"Accept-Encoding: {encoding}", "-D", Path.Combine(dir, "headers"), "-o", Path.Combine(dir, "body"), Url(path) })
                start.ArgumentList.Add(a);
            using var curl = Process.Start(start)!;
            var stderr = curl.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await curl.WaitForExitAsync(timeout.Token);
            Assert.True(curl.ExitCode == 0, $"curl exited {curl.ExitCode}: {await stderr}");
            return (await File.ReadAllTextAsync(Path.Combine(dir, "headers")), await File.ReadAllBytesAsync(Path.Combine(dir, "body")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
