using Broker.Core.Credentials;
using Broker.Core.Providers;
using Broker.Core.Search;
using static Broker.Core.Tests.Search.EngineHarness;

namespace Broker.Core.Tests.Search;

public class CallerCredentialsEngineTests
{
    private static readonly CallerCredentials Alice = new([new("p", ProviderCredential.Password("alice", "alice-secret"))]);

    [Fact]
    public async Task CallerCredential_NeitherReadsNorFillsTheSharedCache_AndReachesTheAdapterCall()
    {
        var cache = new CountingCache();
        var h = new EngineHarness(Yaml(Entry("p"), Entry("q")), cache: cache);
        ProviderCredential? seenByP = null;
        h["p"].Behaviour = (_, _) =>
        {
            seenByP = CallerCredentials.Current?.For("p");
            return Task.FromResult(new ProviderAnswer([FakeAdapter.Record("p", "restricted-1", T0)]));
        };
        h["q"].Behaviour = (_, _) => Task.FromResult(new ProviderAnswer([FakeAdapter.Record("q", "public-1", T0)]));

        await h.Engine.SearchAsync(Request(), CancellationToken.None); // anonymous: fills the cache for p and q
        var withCredential = await h.Engine.SearchAsync(Request() with { Credentials = Alice }, CancellationToken.None);

        Assert.Same(Alice.For("p"), seenByP);
        Assert.Equal(2, h["p"].Calls);
        Assert.False(withCredential.Providers.Single(o => o.ProviderId == "p").FromCache);
        // q is asked anonymously for this caller too, so its shared answer is still used.
        Assert.True(withCredential.Providers.Single(o => o.ProviderId == "q").FromCache);
        Assert.Equal(["p", "q"], cache.Sets.Order());
        Assert.DoesNotContain("p", cache.GetsAfter(2));
        Assert.Null(CallerCredentials.Current);
    }

    [Fact]
    public async Task CallerCredential_CallIsNeverCoalescedWithAnotherCallers()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        var gate = new TaskCompletionSource();
        h["p"].Behaviour = async (_, _) => { await gate.Task; return new ProviderAnswer([FakeAdapter.Record("p", "x", T0)]); };

        var anonymous = h.Engine.SearchAsync(Request(), CancellationToken.None);
        var alice = h.Engine.SearchAsync(Request() with { Credentials = Alice }, CancellationToken.None);
        var bob = h.Engine.SearchAsync(Request() with { Credentials = new([new("p", ProviderCredential.Token("bob-token"))]) }, CancellationToken.None);
        await WaitUntil(() => h["p"].Calls >= 3);
        gate.SetResult();
        var results = await Task.WhenAll(anonymous, alice, bob);

        Assert.Equal(3, h["p"].Calls);
        Assert.All(results, r => Assert.Single(r.Records));
    }

    [Fact]
    public async Task Unauthorized_IsItsOwnStatus_NotRetried_NeverOpensTheCircuitNorCountsAsFailure()
    {
        var h = new EngineHarness(Yaml(Entry("p", resilience:
            "      timeout: 2s\n      retries: 2\n      breakerMinimumThroughput: 2\n      breakerFailureRatio: 0.5\n      breakerBreakDuration: 30s\n")));
        h["p"].Behaviour = (_, _) => CallerCredentials.Current?.Has("p") == true
            ? throw new ProviderUnauthorizedException("P refused the credentials of this session: log in again")
            : Task.FromResult(new ProviderAnswer([FakeAdapter.Record("p", "public", T0)]));

        for (var i = 0; i < 6; i++)
        {
            var refused = (await h.Engine.SearchAsync(Request() with { Credentials = Alice }, CancellationToken.None)).Providers.Single();
            Assert.Equal(ProviderStatus.Unauthorized, refused.Status);
            Assert.Equal("unauthorized", refused.Status.WireName());
            Assert.Contains("log in again", refused.Message);
        }
        var other = await h.Engine.SearchAsync(Request() with { BypassCache = true }, CancellationToken.None);

        Assert.Equal(ProviderStatus.Ok, other.Providers.Single().Status);
        Assert.Equal(7, h["p"].Calls); // no retry of a refusal
        var state = h.Catalog.Current.Find("p")!.Snapshot();
        Assert.Equal(("closed", 0L), (state.Circuit, state.Failures));
    }

    [Fact]
    public async Task ResolveAsync_CarriesTheCallersCredentialAndReportsUnauthorized()
    {
        var h = new EngineHarness(Yaml(Entry("p")));
        var resolver = new FileResolver(h.Catalog, TimeProvider.System);
        var refusing = new RefusingResolver();

        var ok = await resolver.ResolveAsync([new FileGroup("p", [new FileRequest("a")])], refusing, CancellationToken.None, Alice);
        var anonymous = await resolver.ResolveAsync([new FileGroup("p", [new FileRequest("a")])], refusing, CancellationToken.None);

        Assert.Equal(ProviderStatus.Ok, ok.Single().Status);
        Assert.Equal(ProviderStatus.Unauthorized, anonymous.Single().Status);
        Assert.Equal(0, h.Catalog.Current.Find("p")!.Snapshot().Failures);
    }

    /// <summary>A URL check that, like a restricted archive, serves only callers with a credential.</summary>
    private sealed class RefusingResolver : IUrlVerifier
    {
        public Task<FileLocation> VerifyAsync(string providerId, FileLocation location, CancellationToken cancellationToken) =>
            CallerCredentials.Current?.Has(providerId) == true
                ? Task.FromResult(location)
                : throw new ProviderUnauthorizedException("p requires credentials");
    }

    private static Task WaitUntil(Func<bool> condition) => Broker.Testing.Wait.UntilAsync(condition, "the providers' counters");

    private sealed class CountingCache : IAnswerCache
    {
        private readonly Dictionary<string, ProviderAnswer> _items = new();
        private readonly List<string> _gets = [];
        public List<string> Sets { get; } = [];

        public IEnumerable<string> GetsAfter(int skip) => _gets.Skip(skip);

        public ValueTask<ProviderAnswer?> GetAsync(string providerId, string blockKey, CancellationToken ct)
        {
            lock (_gets) _gets.Add(providerId);
            return ValueTask.FromResult(_items.GetValueOrDefault(providerId + blockKey));
        }

        public ValueTask SetAsync(string providerId, string blockKey, ProviderAnswer answer, TimeSpan ttl, CancellationToken ct)
        {
            lock (Sets) Sets.Add(providerId);
            _items[providerId + blockKey] = answer;
            return ValueTask.CompletedTask;
        }

        public ValueTask AbandonAsync(string providerId, string blockKey, CancellationToken ct) => ValueTask.CompletedTask;
    }
}
