using Broker.Core.Configuration;
using Broker.Core.Credentials;
using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Providers.Tap;
using Broker.Server.Credentials;
using Broker.Simulators;
using Broker.Simulators.Auth;
using Broker.Simulators.Faults;
using Broker.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Server.Tests.Credentials;

/// <summary>
/// A UWS job that runs longer than the provider's tokens live: the broker renews its token before it expires (at 80 %
/// of expires_in), so no poll is ever refused. Broker and simulator share a fake clock that the test moves forward
/// whenever nothing else happens, so the job lasts 200 s of that clock however fast or slow the machine is.
/// </summary>
public class TokenRenewalDuringAsyncJobTests
{
    [Fact]
    public async Task LongAsyncJob_TokenIsRenewedBeforeExpiry_NoRequestIsRefused_RestrictedRowsAreSeen()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            Providers =
            [
                new() { Name = "eso", Kind = SimulatorKind.ObsCore, Seed = 11, RecordCount = 3_000, Auth = SimulatedAuthScheme.Bearer,
                    Username = "broker-client", Password = "client-secret-e2e", TokenLifetime = TimeSpan.FromSeconds(60) },
            ],
        });
        sims.SetFault("eso", new FaultSpec { JobDuration = TimeSpan.FromSeconds(200) });
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
        var calls = new InFlightCalls(new ProviderCredentialHandler(config, new ProviderCredentials(clock), new SocketsHttpHandler()),
            received: () => sims.Calls("eso").Requests);
        using var http = new HttpClient(calls);
        var adapter = new TapProviderFactory().Create(config, new ProviderFactoryContext(_ => http, clock, NullLoggerFactory.Instance));
        var block = new QueryBlock { Time = new TimeRange(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) };

        var search = adapter.SearchAsync(block, 10_000, CancellationToken.None);
        // The clock moves 5 s at a time, only while no call of the broker is on its way to the provider, or the only
        // ones are blocking WAIT polls the provider already received (they wait for the clock): no token ages in flight
        // by more than one step, well inside the 12 s renewal margin. The 200 s job outlives three 60 s token lifetimes.
        await Wait.UntilAsync(() =>
        {
            if (search.IsCompleted) return true;
            if (calls.AllDeliveredAndWaiting()) clock.Advance(TimeSpan.FromSeconds(5));
            return false;
        }, "the async job to finish", TimeSpan.FromMinutes(2));
        var answer = await search;

        var (tokens, _, refusals) = sims.AuthCounts("eso");
        Assert.True(tokens >= 3, $"only {tokens} tokens were issued");
        Assert.Equal(0, refusals);
        Assert.Contains(answer.Records, r => r.Restricted);
        Assert.Contains(answer.Records, r => !r.Restricted);
    }

    /// <summary>The broker's calls to the provider that have not answered yet, and whether each has reached it.</summary>
    private sealed class InFlightCalls(HttpMessageHandler inner, Func<long> received) : DelegatingHandler(inner)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<HttpRequestMessage, (bool Wait, long ReceivedBefore)> _calls = new();

        /// <summary>True when every open call is a blocking WAIT poll that the provider has counted since it was sent.</summary>
        public bool AllDeliveredAndWaiting()
        {
            var now = received();
            return _calls.Values.All(c => c.Wait && now > c.ReceivedBefore);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var wait = request.RequestUri!.Query.Contains("WAIT=", StringComparison.Ordinal);
            _calls[request] = (wait, received());
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                _calls.TryRemove(request, out _);
            }
        }
    }
}
