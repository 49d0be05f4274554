using Broker.Core.Providers;
using Broker.Server.Tests.Rest;

namespace Broker.Server.Tests.Hosting;

/// <summary>A provider request refused by the concurrency limit is a clear status line, not a crash and not a provider fault.</summary>
public class ProviderBusyTests
{
    [Fact]
    public async Task Search_ProviderBusy_IsErrorNotAsked_OthersAnswer_AndTheCircuitDoesNotCountIt()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("pb-eui", "pb-aia"));
        broker.Providers["pb-aia"].Behaviour = _ => throw new ProviderBusyException("not asked: pb-aia already has 4 requests running and 0 waiting");

        for (var i = 0; i < 6; i++)
        {
            var doc = await SearchApiTests.GetJson(broker, $"/api/v1/search?start=2022-03-21&end=2022-03-22&limit={10 + i}");
            var providers = doc.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
            Assert.Equal("error", providers["pb-aia"].GetProperty("status").GetString());
            Assert.StartsWith("not asked: pb-aia already has 4 requests running", providers["pb-aia"].GetProperty("message").GetString());
            Assert.Equal("empty", providers["pb-eui"].GetProperty("status").GetString());
        }

        var state = (await SearchApiTests.GetJson(broker, "/api/v1/providers")).GetProperty("providers").EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == "pb-aia");
        Assert.Equal("closed", state.GetProperty("circuit").GetString());
        Assert.Equal(0, state.GetProperty("failures").GetInt32());
    }
}
