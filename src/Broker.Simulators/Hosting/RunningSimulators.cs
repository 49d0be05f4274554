using Broker.Simulators.Data;
using Broker.Simulators.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Broker.Simulators;

/// <summary>Simulated providers being served; dispose to stop the listener and every job.</summary>
public sealed class RunningSimulators : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly IReadOnlyDictionary<string, SimulatedProvider> _providers;
    private int _disposed;

    internal RunningSimulators(WebApplication app, CancellationTokenSource stopping, Uri rootUrl, int port,
        IReadOnlyDictionary<string, SimulatedProvider> providers, IReadOnlyList<string> names)
    {
        _app = app;
        _stopping = stopping;
        RootUrl = rootUrl;
        Port = port;
        _providers = providers;
        ProviderNames = names;
    }

    /// <summary><c>http://127.0.0.1:PORT</c>.</summary>
    public Uri RootUrl { get; }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    /// <summary>Provider names, in configuration order.</summary>
    public IReadOnlyList<string> ProviderNames { get; }

    /// <summary>
    /// The base URL of a provider: the TAP base (e.g. <c>http://127.0.0.1:PORT/soar/tap</c>, no trailing slash), or for
    /// the vsoi kind the SOAP endpoint <c>http://127.0.0.1:PORT/{name}/soap</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such provider.</exception>
    public string BaseUrl(string provider)
    {
        var p = Get(provider);
        return p.Options.Kind == SimulatorKind.Vsoi ? p.SoapUrl : p.TapBaseUrl;
    }

    /// <summary>The OAuth2 token endpoint of a provider with <c>auth: bearer</c>: <c>http://127.0.0.1:PORT/{name}/auth/token</c>.</summary>
    public string TokenUrl(string provider) => $"{RootUrl.ToString().TrimEnd('/')}/{Get(provider).Name}/auth/token";

    /// <summary>The TAP base URL of a provider (every kind, including vsoi, also answers TAP).</summary>
    public string TapUrl(string provider) => Get(provider).TapBaseUrl;

    /// <summary>The data endpoint of a provider, e.g. <c>http://127.0.0.1:PORT/soar/data</c>.</summary>
    public string DataUrl(string provider) => Get(provider).DataUrl;

    /// <summary>The options a provider was started with.</summary>
    public SimulatedProviderOptions Options(string provider) => Get(provider).Options;

    /// <summary>Counters of the calls a provider received, and its alive async jobs.</summary>
    public ProviderCalls Calls(string provider) => Get(provider).Snapshot();

    /// <summary>Sets a provider's counters back to zero (jobs are kept).</summary>
    public void ResetCalls(string provider) => Get(provider).Counters.Reset();

    /// <summary>Replaces a provider's faults; takes effect for the next request (and jobs started after it).</summary>
    public void SetFault(string provider, FaultSpec fault) => Get(provider).Faults.Set(fault);

    /// <summary>The generated tables of a provider (read-only), e.g. to compute expected answers in tests.</summary>
    public SimCatalog Catalog(string provider) => Get(provider).Data.Catalog;

    /// <summary>Tokens issued, TAP+ logins and refused requests of a provider that wants credentials.</summary>
    public (int TokensIssued, int Logins, int Refusals) AuthCounts(string provider)
    {
        var auth = Get(provider).Auth;
        return (auth.TokensIssued, auth.Logins, auth.Refusals);
    }

    /// <summary>TAP+ logouts that ended a live session, and the TAP+ sessions live now, of a provider with <c>auth: tapLogin</c>.</summary>
    public (int Logouts, int LiveSessions) TapPlusSessions(string provider)
    {
        var auth = Get(provider).Auth;
        return (auth.Logouts, auth.LiveSessions);
    }

    /// <summary>Every token and TAP+ session cookie a provider has issued.</summary>
    public IReadOnlyCollection<string> IssuedSecrets(string provider) => Get(provider).Auth.EverIssued;

    /// <summary>The bytes the data endpoint serves for a file id of a provider, or null if the id is unknown.</summary>
    public byte[]? FileContent(string provider, string fileId) =>
        Get(provider).Data.Files.TryGetValue(fileId, out var name) ? SimulatedFiles.Content(fileId, name) : null;

    /// <summary>Stops serving: cancels hanging requests and jobs, then stops the listener.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var p in _providers.Values) p.Jobs.Clear();
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private SimulatedProvider Get(string provider) =>
        _providers.TryGetValue(provider ?? string.Empty, out var p)
            ? p
            : throw new KeyNotFoundException($"No simulated provider '{provider}'. Known: {string.Join(", ", ProviderNames)}.");
}
