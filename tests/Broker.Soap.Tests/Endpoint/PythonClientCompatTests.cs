using Broker.Core.Providers;
using Broker.Soap.Tests.Support;
using Broker.Testing;
using Xunit.Abstractions;

namespace Broker.Soap.Tests.Endpoint;

/// <summary>
/// The real clients (Debian's sunpy 4.1.2 + zeep 4.2.1 under /usr/bin/python3, and an IDL-shaped raw client)
/// against the whole broker (<see cref="SoapBroker"/>) on loopback, over fake EIT and LASCO providers whose registered
/// data host is a file server of the test, so sunpy's fetch downloads what GetData handed out.
/// </summary>
[Trait("Category", "Compat")]
public sealed class PythonClientCompatTests(ITestOutputHelper output)
{
    private static readonly string ScriptDir = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../compat"));

    private static Task<SoapBroker> StartAsync() => SoapBroker.StartAsync(
    [
        new FakeAdapter("sdac", [FakeBroker.Record("sdac", "/eit/efz20100101.001000"), FakeBroker.Record("sdac", "/eit/efz20100101.003000")],
            new ProviderCapabilities { Providers = ["SDAC"], Instruments = ["EIT"] }),
        new FakeAdapter("lasco", [FakeBroker.Record("lasco", "lasco:c2:22001", instrument: "LASCO", wave: 5500)],
            new ProviderCapabilities { Instruments = ["LASCO"] }),
    ]);

    private async Task<(int Code, string Out)> RunAsync(string script, string argument)
    {
        var run = await PythonScript.RunAsync(Path.Combine(ScriptDir, script), [argument]);
        output.WriteLine(run.ToString());
        return (run.ExitCode, run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task SunpyVsoClient_SearchesAndFetches()
    {
        await using var server = await StartAsync();
        var (code, text) = await RunAsync("sunpy_vso_client.py", server.BaseUri + "soap/VSOi_rpc_literal.wsdl");
        Assert.True(code == 0, text);
        Assert.Contains("\"fetch\": 2", text);
        Assert.Contains("lasco:c2:22001", text);
    }

    [Fact]
    public async Task ZeepRaw_QueryGetDataAndErrorItem()
    {
        await using var server = await StartAsync();
        var (code, text) = await RunAsync("zeep_raw.py", server.BaseUri + "soap/VSOi_rpc_literal.wsdl");
        Assert.True(code == 0, text);
        Assert.Contains("\"error\": \"invalid query", text);
    }

    [Fact]
    public async Task IdlRawEnvelope_FlatTableAndOldGetData()
    {
        await using var server = await StartAsync();
        var (code, text) = await RunAsync("idl_raw_envelope.py", server.BaseUri + "cgi-bin/vsoi_tabdelim");
        Assert.True(code == 0, text);
    }
}
