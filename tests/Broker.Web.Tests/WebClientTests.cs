using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broker.Web.Tests;

/// <summary>
/// The web client at / in headless Chromium against the real broker and simulated providers: search, live statuses
/// (a hanging provider shown as a timeout), sorting and filtering, the cart across searches and browsers, links,
/// downloads compared byte for byte, problems next to their fields. Every wait is on a condition in the page.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class WebClientTests(WebFixture fx)
{
    private const string Rows = "#results-table tbody tr:not(.spacer)";
    private static readonly string Window = $"start={WebFixture.Start}&end={WebFixture.End}";

    private static ILocator Status(IPage page, string provider) => page.Locator($"#status-strip li[data-provider={provider}]");

    /// <summary>Waits until a search has ended: every provider has a final status and the search button is back.</summary>
    private static async Task WaitForSearchAsync(IPage page)
    {
        await Expect(page.Locator("#status-strip li[data-status=pending]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#search-button")).ToBeEnabledAsync();
        await Expect(page.Locator("#counts")).ToContainTextAsync("Showing");
    }

    [Fact]
    public async Task Search_FromTheForm_ShowsRecordsOfSeveralProviders_AndTheHangingOneAsATimeout()
    {
        var (context, page, errors) = await fx.OpenAsync();
        await using var _ = context;

        await page.FillAsync("#start", WebFixture.Start);
        await page.FillAsync("#end", WebFixture.End);
        await page.ClickAsync("#search-button");

        await Expect(Status(page, "hang")).ToHaveAttributeAsync("data-status", "timeout");
        await Expect(Status(page, "hang")).ToContainTextAsync("no answer within");
        foreach (var id in new[] { "soar", "sdo", "nrh", "legacy" })
        {
            await Expect(Status(page, id)).ToHaveAttributeAsync("data-status", "ok");
            await Expect(Status(page, id)).ToContainTextAsync("records");
        }
        await WaitForSearchAsync(page);
        await Expect(page.Locator("#counts")).ToContainTextAsync("not searched completely: hang");
        var providersInTable = await page.Locator("#select-provider option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        Assert.Equal(["legacy", "nrh", "sdo", "soar"], providersInTable);
        Assert.True(await page.Locator(Rows).CountAsync() > 10);
        Assert.Contains($"start={Uri.EscapeDataString(WebFixture.Start)}", page.Url.Replace("%3A", "%3A", StringComparison.Ordinal));
        await Expect(page.Locator("#history-list li")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("#timeline svg rect")).Not.ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Results_SortByColumnBothWays_AndFilterByText_AndByNumber()
    {
        var (context, page, errors) = await fx.OpenAsync($"/?{Window}");
        await using var _ = context;
        await WaitForSearchAsync(page);

        await page.ClickAsync("th[data-key=start] button");
        await Expect(page.Locator("th[data-key=start]")).ToHaveAttributeAsync("aria-sort", "ascending");
        var ascending = await Column(page, 7);
        await page.ClickAsync("th[data-key=start] button");
        await Expect(page.Locator("th[data-key=start]")).ToHaveAttributeAsync("aria-sort", "descending");
        var descending = await Column(page, 7);

        Assert.Equal(ascending.Order(StringComparer.Ordinal), ascending);
        Assert.Equal(descending.OrderDescending(StringComparer.Ordinal), descending);
        Assert.NotEqual(ascending.First(), descending.First());

        await page.FillAsync("input[data-key=instrument]", "aia");
        await Expect(page.Locator("#table-summary")).ToContainTextAsync("match the column filters");
        var instruments = await Column(page, 4);
        Assert.NotEmpty(instruments);
        Assert.All(instruments, i => Assert.Equal("AIA", i));

        await page.FillAsync("input[data-key=instrument]", "");
        await page.FillAsync("input[data-key=sizeKb]", ">20000");
        await Expect(page.Locator("#table-summary")).ToContainTextAsync("match the column filters");
        var sizes = await Column(page, 10);
        Assert.NotEmpty(sizes);
        Assert.All(sizes, s => Assert.True(double.Parse(s, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 20000, s));
        Assert.Empty(errors);
    }

    /// <summary>The text of one column (1-based, the selection box is column 1) of the rows in the DOM.</summary>
    private static Task<string[]> Column(IPage page, int column) =>
        page.Locator($"{Rows} td:nth-child({column})").AllTextContentsAsync().ContinueWith(t => t.Result.ToArray());

    [Fact]
    public async Task Cart_TakesRecordsFromTwoSearches_ReloadsByIdInANewBrowser_GivesLinks_AndTheFilesDownloadIntact()
    {
        var (context, page, errors) = await fx.OpenAsync($"/?{Window}");
        await using var _ = context;
        await WaitForSearchAsync(page);

        // Search 1: every record of one provider.
        await page.SelectOptionAsync("#select-provider", "sdo");
        await page.ClickAsync("#select-provider-use");
        var fromFirst = int.Parse(Regex.Match(await page.TextContentAsync("#selection-count") ?? "", @"^([\d,]+) selected").Groups[1].Value.Replace(",", ""),
            CultureInfo.InvariantCulture);
        Assert.True(fromFirst > 0);
        await page.ClickAsync("#add-to-cart");
        await Expect(page.Locator("#cart-badge")).ToHaveTextAsync(fromFirst.ToString(CultureInfo.InvariantCulture));

        // Search 2 (another window, typed into the form): one record picked by hand.
        await page.FillAsync("#start", "2022-03-22T08:00:00Z");
        await page.FillAsync("#end", "2022-03-22T14:00:00Z");
        await page.ClickAsync("#search-button");
        await WaitForSearchAsync(page);
        await page.FillAsync("input[data-key=provider]", "legacy");
        await page.Locator($"{Rows} input[type=checkbox]").First.CheckAsync();
        await page.ClickAsync("#add-to-cart");
        var total = fromFirst + 1;
        await Expect(page.Locator("#cart-badge")).ToHaveTextAsync(total.ToString(CultureInfo.InvariantCulture));
        var cartId = Regex.Match(page.Url, @"[?&]cart=([0-9a-z]{10})").Groups[1].Value;
        Assert.NotEmpty(cartId);

        // A new browser (no cookies, no storage) reloads the cart by its id alone.
        var (other, page2, errors2) = await fx.OpenAsync($"/?cart={cartId}");
        await using var __ = other;
        await Expect(page2.Locator("#cart-summary")).ToContainTextAsync($"Cart {cartId}: {total} files");
        await Expect(page2.Locator("#cart-table tbody tr")).ToHaveCountAsync(total);

        await page2.CheckAsync("#verify-links");
        await page2.ClickAsync("#get-links");
        await Expect(page2.Locator("#links-table tbody tr")).ToHaveCountAsync(total);
        await Expect(page2.Locator("#links-summary")).ToContainTextAsync($"{total} files: {total} ok");

        // One file through its link, compared byte for byte with what the simulator serves.
        var row = page2.Locator("#links-table tbody tr[data-status=ok]").First;
        var provider = (await row.Locator("td").Nth(0).TextContentAsync())!;
        var fileId = (await row.Locator("td").Nth(1).TextContentAsync())!;
        var download = await page2.RunAndWaitForDownloadAsync(() => row.Locator("a").ClickAsync());
        var saved = Path.Combine(Path.GetTempPath(), $"web-{Guid.NewGuid():N}");
        await download.SaveAsAsync(saved);
        Assert.Equal(fx.Sims.FileContent(provider, fileId), await File.ReadAllBytesAsync(saved));
        File.Delete(saved);

        // The shell script fetches every file, checking sizes, and leaves them intact.
        var dir = Directory.CreateTempSubdirectory("web-script").FullName;
        try
        {
            var script = await page2.RunAndWaitForDownloadAsync(() => page2.ClickAsync("#script-download"));
            await script.SaveAsAsync(Path.Combine(dir, "get.sh"));
            var (exit, output) = await RunAsync("sh", "get.sh", dir);
            Assert.True(exit == 0, output);
            var links = await page2.Locator("#links-table tbody tr").EvaluateAllAsync<string[][]>(
                "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])");
            foreach (var link in links)
            {
                var path = Path.Combine(dir, link[0], SafeName(link[1]));
                Assert.True(File.Exists(path), $"{path} missing; script said:\n{output}");
                Assert.Equal(fx.Sims.FileContent(link[0], link[1]), await File.ReadAllBytesAsync(path));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Empty(errors);
        Assert.Empty(errors2);
    }

    /// <summary>The file name the script gives a file id (as delivery.js writes it).</summary>
    private static string SafeName(string fileId)
    {
        var name = Regex.Replace(Regex.Replace(fileId, "[^A-Za-z0-9._-]+", "_"), @"^\.+", "_");
        return name.Length > 180 ? name[..180] : name;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string args, string dir)
    {
        var start = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Theory]
    [InlineData("start=2022-03-23T00:00:00Z&end=2022-03-21T00:00:00Z", "start", "is after end")]
    [InlineData("start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&wavemin=abc", "wavemin", "not a number")]
    [InlineData("start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&instrument=NOSUCH", "instrument", "not offered")]
    [InlineData("start=2022-03-21T00:00:00Z&end=2022-03-22T00:00:00Z&wavemin=1&wavemax=2&waveunit=parsec", "waveunit", "parsec")]
    public async Task AProblem_IsShownNextToTheFieldThatCausedIt(string query, string field, string message)
    {
        var (context, page, errors) = await fx.OpenAsync($"/?{query}");
        await using var _ = context;

        await Expect(page.Locator($"#{field}-error")).ToContainTextAsync(message);
        await Expect(page.Locator($"#{field}")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#counts")).ToContainTextAsync("not run");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task CarringtonRotations_StartWithinHalfAnHourOfSunPy_AndThePresetFillsTheRange()
    {
        var (context, page, errors) = await fx.OpenAsync();
        await using var _ = context;
        int[] rotations = [1, 1000, 1900, 2000, 2100, 2255, 2300];

        var ours = await page.EvaluateAsync<string[]>(
            "ns => import('/js/carrington.js').then(m => ns.map(n => m.rotationStart(n).toISOString()))", rotations);
        var (exit, sunpy) = await RunAsync("/usr/bin/python3",
            "-W ignore -c \"import sys; from sunpy.coordinates.sun import carrington_rotation_time as t; " +
            $"print(' '.join(t(n).utc.isot + 'Z' for n in [{string.Join(",", rotations)}]))\"", Path.GetTempPath());
        Assert.True(exit == 0, sunpy);
        var theirs = sunpy.Trim().Split(' ');
        for (var i = 0; i < rotations.Length; i++)
        {
            var difference = DateTimeOffset.Parse(ours[i], CultureInfo.InvariantCulture) - DateTimeOffset.Parse(theirs[i], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(difference.TotalMinutes) < 30, $"rotation {rotations[i]}: ours {ours[i]}, SunPy {theirs[i]}");
        }

        await page.FillAsync("#preset-cr", "2255");
        await page.ClickAsync("#preset-cr-use");
        Assert.StartsWith("2022-03-07T1", await page.InputValueAsync("#start"));
        Assert.StartsWith("2022-04-03T", await page.InputValueAsync("#end"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TwentyThousandRecords_KeepOnlyTheRowsInViewInTheDom_AndScrollToTheLast()
    {
        var (context, page, errors) = await fx.OpenAsync("/?start=2020-06-01T00:00:00Z&end=2023-01-01T00:00:00Z&providers=soar,nrh&limit=20000");
        await using var _ = context;
        await WaitForSearchAsync(page);
        await Expect(page.Locator("#counts")).ToContainTextAsync("Showing 20,000 of");

        var inDom = await page.Locator(Rows).CountAsync();
        await page.Locator("#table-scroll").EvaluateAsync("e => e.scrollTop = e.scrollHeight");
        await Expect(page.Locator($"{Rows}[aria-rowindex='20002']")).ToHaveCountAsync(1);
        await page.ClickAsync("th[data-key=sizeKb] button");
        await Expect(page.Locator("th[data-key=sizeKb]")).ToHaveAttributeAsync("aria-sort", "ascending");

        Assert.InRange(inDom, 10, 200);
        Assert.InRange(await page.Locator(Rows).CountAsync(), 10, 200);
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task Axe_FindsNoSeriousOrCriticalViolations_WithResultsAndCart_OnWideAndNarrowScreens(int width)
    {
        var axe = Path.Combine(WebFixture.RepoRoot, "tests", "Broker.Web.Tests", "axe", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"{axe} is missing: scripts/install-test-deps.sh installs axe-core with npm");
        var (context, page, errors) = await fx.OpenAsync($"/?{Window}", bypassCsp: true, width: width);
        await using var _ = context;
        await WaitForSearchAsync(page);
        await page.ClickAsync("#select-shown");
        await page.ClickAsync("#add-to-cart");
        await Expect(page.Locator("#cart-badge")).Not.ToHaveTextAsync("0");
        await page.ClickAsync("#get-links");
        await Expect(page.Locator("#links-table tbody tr")).Not.ToHaveCountAsync(0);

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = axe });
        var violations = await page.EvaluateAsync<JsonElement>(
            "() => axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => " +
            "({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))");
        var serious = violations.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious.Select(v => v.ToString())));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a {width}px screen");
        Assert.Empty(errors);
    }
}
