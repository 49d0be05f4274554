using Broker.Core.Providers;
using Broker.Core.Search;
using Broker.Providers.Tap.Tests.Fakes;
using Broker.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Broker.Providers.Tap.Tests;

/// <summary>
/// GetData's <c>verify=true</c> never floods a data host: loopback hosts hold every HEAD until the test lets them go
/// and count how many are open at once; the verifier keeps to its bound per host and port and to its total.
/// </summary>
public sealed class HttpUrlVerifierBoundsTests : IAsyncLifetime
{
    private readonly HeldHosts _hosts = new();
    private FakeTapServer _a = null!, _b = null!;
    private ProviderCatalog _catalog = null!;

    public async Task InitializeAsync()
    {
        _a = await FakeTapServer.StartAsync();
        _b = await FakeTapServer.StartAsync();
        _a.On("HEAD /files/*", (ctx, _) => _hosts.HoldAsync("a", ctx));
        _b.On("HEAD /files/*", (ctx, _) => _hosts.HoldAsync("b", ctx));
        var yaml = TapHarness.Yaml("pa", _a.TapUrl, "profile: obscore") + "\n"
            + TapHarness.Yaml("pb", _b.TapUrl, "profile: obscore").Replace("providers:\n", "", StringComparison.Ordinal);
        _catalog = new ProviderCatalog(TapHarness.Registry(yaml));
    }

    public async Task DisposeAsync()
    {
        _hosts.Release();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task ManyFilesOfOneHost_AtMostMaxChecksPerHostAtOnce()
    {
        using var verifier = Verifier(new UrlVerifierOptions { MaxChecksPerHost = 3, MaxChecks = 64, Timeout = TimeSpan.FromMinutes(5) });

        var checks = Enumerable.Range(0, 20).Select(i => Verify(verifier, "pa", _a, i)).ToList();
        await Wait.UntilAsync(() => _hosts.Open("a") == 3, "three HEADs open on the data host");
        Assert.Equal(3, _hosts.Peak("a"));
        _hosts.Release();
        var results = await Task.WhenAll(checks);

        Assert.All(results, r => Assert.Equal(FileStatus.Ok, r.Status));
        Assert.Equal(20, _hosts.Served("a"));
        Assert.Equal(3, _hosts.Peak("a"));
    }

    [Fact]
    public async Task ManyFilesOfTwoHosts_AtMostMaxChecksInAll()
    {
        using var verifier = Verifier(new UrlVerifierOptions { MaxChecksPerHost = 3, MaxChecks = 4, Timeout = TimeSpan.FromMinutes(5) });

        var checks = Enumerable.Range(0, 10).SelectMany(i => new[] { Verify(verifier, "pa", _a, i), Verify(verifier, "pb", _b, i) }).ToList();
        await Wait.UntilAsync(() => _hosts.OpenInAll == 4, "four HEADs open over both hosts");
        Assert.Equal(4, _hosts.PeakInAll);
        _hosts.Release();
        var results = await Task.WhenAll(checks);

        Assert.All(results, r => Assert.Equal(FileStatus.Ok, r.Status));
        Assert.Equal(20, _hosts.Served("a") + _hosts.Served("b"));
        Assert.Equal(4, _hosts.PeakInAll);
        Assert.InRange(_hosts.Peak("a"), 1, 3);
        Assert.InRange(_hosts.Peak("b"), 1, 3);
    }

    [Fact]
    public async Task AUrlStillWaitingForASlotWhenTimeRunsOut_IsUnverified_TheOneAskedIsBroken()
    {
        var time = new FakeTimeProvider();
        using var verifier = Verifier(new UrlVerifierOptions { MaxChecksPerHost = 1, MaxChecks = 1, Timeout = TimeSpan.FromSeconds(10) }, time);

        var asked = Verify(verifier, "pa", _a, 0);
        await Wait.UntilAsync(() => _hosts.Open("a") == 1, "the first HEAD open on the data host");
        var waiting = Verify(verifier, "pa", _a, 1); // its budget started with the call; it waits for the one slot
        time.Advance(TimeSpan.FromSeconds(11));

        var (first, second) = (await asked, await waiting);
        Assert.Equal(FileStatus.Broken, first.Status);
        Assert.Equal("no answer within 10 s", first.Detail);
        Assert.Equal(FileStatus.Unverified, second.Status);
        Assert.StartsWith("not checked: no check slot for 127.0.0.1:", second.Detail, StringComparison.Ordinal);
        Assert.Equal(1, _hosts.Served("a") + _hosts.Open("a"));
    }

    [Fact]
    public void Options_ThatCannotWork_AreRefusedNamingTheSetting()
    {
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new UrlVerifierOptions { MaxChecksPerHost = 0 }.Validated());
        Assert.Equal("GetData:MaxChecksPerHost", zero.ParamName);
        var total = Assert.Throws<ArgumentOutOfRangeException>(() => new UrlVerifierOptions { MaxChecksPerHost = 8, MaxChecks = 4 }.Validated());
        Assert.Equal("GetData:MaxChecks", total.ParamName);
        var time = Assert.Throws<ArgumentOutOfRangeException>(() => new UrlVerifierOptions { Timeout = TimeSpan.Zero }.Validated());
        Assert.Equal("GetData:Timeout", time.ParamName);
    }

    private HttpUrlVerifier Verifier(UrlVerifierOptions options, TimeProvider? time = null) =>
        new(_catalog, time ?? TimeProvider.System, NullLogger<HttpUrlVerifier>.Instance, options);

    private static Task<FileLocation> Verify(HttpUrlVerifier verifier, string provider, FakeTapServer host, int file) =>
        verifier.VerifyAsync(provider, new FileLocation($"f{file}", FileStatus.Ok, new Uri(host.Root, $"files/f{file}.fits").AbsoluteUri),
            CancellationToken.None);

    /// <summary>Loopback data hosts whose HEADs stay open until <see cref="Release"/>, counted per host and in all.</summary>
    private sealed class HeldHosts
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _lock = new();
        private readonly Dictionary<string, (int Open, int Peak, int Served)> _byHost = new();
        private int _open, _peak;

        public int OpenInAll { get { lock (_lock) return _open; } }
        public int PeakInAll { get { lock (_lock) return _peak; } }
        public int Open(string host) { lock (_lock) return _byHost.GetValueOrDefault(host).Open; }
        public int Peak(string host) { lock (_lock) return _byHost.GetValueOrDefault(host).Peak; }
        public int Served(string host) { lock (_lock) return _byHost.GetValueOrDefault(host).Served; }

        public void Release() => _gate.TrySetResult();

        public async Task HoldAsync(string host, HttpContext context)
        {
            lock (_lock)
            {
                var h = _byHost.GetValueOrDefault(host);
                h.Open++;
                h.Peak = Math.Max(h.Peak, h.Open);
                _byHost[host] = h;
                _open++;
                _peak = Math.Max(_peak, _open);
            }
            try
            {
                await _gate.Task.WaitAsync(context.RequestAborted);
                context.Response.ContentType = "application/fits";
                context.Response.ContentLength = 2880;
            }
            finally
            {
                lock (_lock)
                {
                    var h = _byHost[host];
                    h.Open--;
                    h.Served++;
                    _byHost[host] = h;
                    _open--;
                }
            }
        }
    }
}
