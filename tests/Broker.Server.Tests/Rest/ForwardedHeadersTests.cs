namespace Broker.Server.Tests.Rest;

/// <summary>Behind the loopback load balancer the WSDL advertises the address the caller used.</summary>
public class ForwardedHeadersTests
{
    [Fact]
    public async Task Wsdl_BehindAnHttpsProxy_AdvertisesTheHttpsAddress()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/soap/VSOi_rpc_literal.wsdl");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "vso.example.org");

        var wsdl = await (await broker.Http.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("location=\"https://vso.example.org/soap/vsoi\"", wsdl);
    }

    [Fact]
    public async Task Wsdl_Direct_AdvertisesTheRequestAddress()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui"));

        var wsdl = await broker.Http.GetStringAsync("/soap/VSOi_rpc_literal.wsdl");

        Assert.Contains($"location=\"http://{broker.BaseUrl.Authority}/soap/vsoi\"", wsdl);
    }
}
