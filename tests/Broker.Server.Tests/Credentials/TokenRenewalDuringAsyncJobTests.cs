using Broker.Core.Configuration;
using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Providers.Tap;
using Broker.Server.Credentials;
using Broker.Simulators;
using Broker.Simulators.Auth;
using Broker.Simulators.Faults;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Server.Tests.Credentials;

/// <summary>
/// A UWS job that runs longer than the provider's tokens live: the broker renews its token before it expires (at 80 %
/// of expires_in), so no poll is ever refused. Broker and simulator share a clock that the test moves forward.
/// </summary>
public class TokenRenewalDuringAsyncJobTests
{
    [Fact]
    public async Task LongAsyncJob_TokenIsRenewedBeforeExpiry_NoRequestIsRefused_RestrictedRowsAreSeen()
    {
        var clock = new JumpClock();
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            Providers =
            [
                new() { Name = "eso", Kind = SimulatorKind.ObsCore, Seed = 11, RecordCount = 3_000, Auth = SimulatedAuthScheme.Bearer,
                    Username = "broker-client", Password = "client-secret-e2e", TokenLifetime = TimeSpan.FromSeconds(60) },
            ],
        });
        sims.SetFault("eso", new FaultSpec { JobDuration = TimeSpan.FromSeconds(3) });
        Environment.SetEnvironmentVariable("CREDS_JOB_CLIENT_SECRET", "client-secret-e2e");
        var config = ProvidersFile.Parse($"""
            providers:
              eso:
                type: tap
                url: {sims.TapUrl("eso")}
                resilience: {"{ timeout: 60s, retries: 0 }"}
                auth:
                  scheme: oidc
                  tokenUrl: {sims.TokenUrl("eso")}
                  clientId: broker-client
                  clientSecret: env:CREDS_JOB_CLIENT_SECRET
                options: {"{ profile: obscore, mode: async, pollInterval: 100ms, maxPollInterval: 200ms, rightsColumn: data_rights }"}
            """, "t.yaml")[0];
        using var http = new HttpClient(new ProviderCredentialHandler(config, new ProviderCredentials(clock), new SocketsHttpHandler()));
        var adapter = new TapProviderFactory().Create(config, new ProviderFactoryContext(_ => http, clock, NullLoggerFactory.Instance));
        var block = new QueryBlock { Time = new TimeRange(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) };

        var search = adapter.SearchAsync(block, 10_000, CancellationToken.None);
        // About 200 s of provider time pass while the 3 s job runs: more than three token lifetimes.
        while (!search.IsCompleted)
        {
            clock.Jump(TimeSpan.FromSeconds(20));
            await Task.WhenAny(search, Task.Delay(300));
        }
        var answer = await search;

        var (tokens, _, refusals) = sims.AuthCounts("eso");
        Assert.True(tokens >= 3, $"only {tokens} tokens were issued");
        Assert.Equal(0, refusals);
        Assert.Contains(answer.Records, r => r.Restricted);
        Assert.Contains(answer.Records, r => !r.Restricted);
    }

    /// <summary>The system clock moved forward by the test (timers stay real, so polling still runs).</summary>
    private sealed class JumpClock : TimeProvider
    {
        private long _offsetTicks;
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
