using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Broker.EndToEnd.Tests.Soap;

/// <summary>
/// Debian's sunpy 4.1.2 VSOClient against the real broker: every search that cannot be answered in full prints a
/// warning the user sees (the VSO core's convention: a provideritem's error), and fetch() lists every file the
/// broker could not resolve in its errors instead of quietly downloading fewer files.
/// </summary>
[Collection(SoapFederationCollection.Name)]
[Trait("Category", "Compat")]
public sealed class SunpyWarningsTests(SoapFederationFixture f, ITestOutputHelper output)
{
    private static PythonClient.Run? _run;
    private static readonly SemaphoreSlim Once = new(1, 1);

    [Theory]
    [InlineData("unknown-provider", "provider 'NOSUCHPROVIDER'")]
    [InlineData("misspelled-instrument", "instrument 'AIA 171' is not offered")]
    [InlineData("range-over-limit", "invalid query")]
    [InlineData("sample", "cannot filter on sample")]
    [InlineData("cut-answer", "the answer was cut")]
    public async Task Search_ThatCannotBeAnsweredInFull_PrintsAWarningSayingWhy(string search, string expected)
    {
        var run = await RunAsync();
        var line = run.Line("search", search);
        var warnings = line.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.True(warnings.Any(w => w.Contains(expected, StringComparison.Ordinal)), $"{search}: no warning with '{expected}' in {line}");
        Assert.Equal(0, line.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Fetch_WithAnUnknownFileId_ListsItInErrorsAndDownloadsTheRest()
    {
        var run = await RunAsync();
        var fetch = run.Line("fetch");
        var unknown = fetch.GetProperty("ids").EnumerateArray().Last().GetString()!;
        var errors = fetch.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.True(errors.Count == 1 && errors[0].Contains(unknown, StringComparison.Ordinal), fetch.ToString());
        Assert.Equal(fetch.GetProperty("asked").GetInt32() - 1, fetch.GetProperty("fetch").GetInt32());
    }

    /// <summary>The script runs once for all checks (each sunpy start costs seconds).</summary>
    private async Task<PythonClient.Run> RunAsync()
    {
        await Once.WaitAsync();
        try
        {
            _run ??= await PythonClient.RunAsync("sunpy_warnings.py", f.WsdlUrl, F(SoapFederationFixture.Start), F(SoapFederationFixture.End));
            output.WriteLine(_run.ToString());
            return _run;
        }
        finally
        {
            Once.Release();
        }
    }

    private static string F(DateTime t) => t.ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);
}
