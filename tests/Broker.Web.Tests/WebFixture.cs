using Broker.Server;
using Broker.Simulators;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Broker.Web.Tests;

/// <summary>
/// The real broker over simulated providers (a SOAR-like TAP service, an ObsCore TAP service, an EPN-TAP service, a
/// legacy VSOi SOAP provider, and one provider that never answers), all on free loopback ports, and Debian's Chromium
/// driven by Playwright. Tests open their own browser contexts (each a fresh browser profile: cookies, storage).
/// </summary>
public sealed class WebFixture : IAsyncLifetime
{
    /// <summary>A window with records from every answering provider.</summary>
    public const string Start = "2022-03-21T08:00:00Z", End = "2022-03-21T14:00:00Z";

    /// <summary>The flags the brief asks for: no sandbox (root in CI), no GPU, and no call to any outside service.</summary>
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"];

    private WebApplication _broker = null!;
    private string _dir = null!;
    private IPlaywright _playwright = null!;

    public RunningSimulators Sims { get; private set; } = null!;
    public Uri BaseUrl { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The repository root (the folder holding Broker.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Broker.sln"))) return dir.FullName;
            throw new InvalidOperationException("Broker.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public async Task InitializeAsync()
    {
        Sims = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers =
            [
                new() { Name = "soar", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 40_000 },
                new() { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 2, RecordCount = 30_000 },
                new() { Name = "nrh", Kind = SimulatorKind.EpnTap, Seed = 3, RecordCount = 20_000, Schema = "nrh" },
                new() { Name = "legacy", Kind = SimulatorKind.Vsoi, Seed = 4, RecordCount = 20_000 },
                new() { Name = "hang", Kind = SimulatorKind.Soar, Seed = 5, RecordCount = 2_000, Faults = new FaultSpec { Hang = true } },
            ],
        });
        _dir = Directory.CreateTempSubdirectory("broker-web").FullName;
        var providers = Path.Combine(_dir, "providers.yaml");
        await File.WriteAllTextAsync(providers, $$"""
            providers:
              soar:
                type: tap
                url: {{Sims.TapUrl("soar")}}
                resilience: { timeout: 20s, retries: 1, maxRecords: 20000 }
                options: { profile: soar, mode: sync }
              sdo:
                type: tap
                url: {{Sims.TapUrl("sdo")}}
                capabilities: { instruments: [AIA, HMI], sources: [SDO] }
                resilience: { timeout: 20s, retries: 1, maxRecords: 20000 }
                options: { profile: obscore, mode: sync }
              nrh:
                type: tap
                url: {{Sims.TapUrl("nrh")}}
                capabilities: { instruments: [NRH] }
                resilience: { timeout: 20s, retries: 1, maxRecords: 20000 }
                options: { profile: epntap, schema: nrh, mode: sync }
              legacy:
                type: soap
                url: {{Sims.BaseUrl("legacy")}}
                capabilities: { providers: [LEGACY], instruments: [AIA, HMI] }
                resilience: { timeout: 20s, retries: 1 }
                options: { providers: [LEGACY] }
              hang:
                type: tap
                title: A provider that never answers
                url: {{Sims.TapUrl("hang")}}
                capabilities: { providers: [HANG], sources: [SOLO], instruments: [EUI, STIX] }
                cache: { enabled: false }
                resilience: { timeout: 2s, retries: 0, breakerMinimumThroughput: 1000 }
                options: { profile: soar, mode: sync }
            """);
        _broker = BrokerApp.Build(["--providers", providers, "--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning",
            "--Search:Deadline=00:00:30", "--Sessions:RateLimitPerMinute=0", "--Sessions:MaxStoredRecords=20000"]);
        await _broker.StartAsync();
        BaseUrl = new Uri(_broker.Urls.First());
        Http = new HttpClient { BaseAddress = BaseUrl };

        // A loaded CI machine can be slow; every wait is still on a condition, this only bounds it.
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = ChromiumArgs,
            Headless = true,
        });
    }

    /// <summary>A fresh browser profile on the broker; a failed request or a console error is kept for the test to show.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string path = "/", bool bypassCsp = false, int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl.ToString(), ViewportSize = new ViewportSize { Width = width, Height = 900 }, AcceptDownloads = true,
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // A 404 the page expects (an optional endpoint this broker lacks) is logged by Chromium as a console error; skip those.
        page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) lock (errors) errors.Add(m.Text);
        };
        page.PageError += (_, e) => { lock (errors) errors.Add(e); };
        await page.GotoAsync(path);
        await page.WaitForSelectorAsync("body[data-ready=true]");
        return (context, page, errors);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
        Http.Dispose();
        await _broker.StopAsync();
        await _broker.DisposeAsync();
        await Sims.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}
