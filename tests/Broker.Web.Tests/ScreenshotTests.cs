using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Broker.Web.Tests;

/// <summary>
/// The README's screenshots: the search page with results, the status strip, the timeline and the cart, taken from a
/// real search. Written to WEB_SCREENSHOTS_DIR when set (scripts/screenshots.sh sets it to docs/screenshots), else to
/// a temporary folder; either way the test checks each picture was drawn.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ScreenshotTests(WebFixture fx)
{
    [Fact]
    public async Task SearchPage_StatusStrip_Timeline_AndCart_AreCaptured()
    {
        var target = Environment.GetEnvironmentVariable("WEB_SCREENSHOTS_DIR") is { Length: > 0 } d ? Path.GetFullPath(d)
            : Directory.CreateTempSubdirectory("web-shots").FullName;
        Directory.CreateDirectory(target);
        var (context, page, errors) = await fx.OpenAsync(
            $"/?start={WebFixture.Start}&end={WebFixture.End}&wavemin=100&wavemax=1300&waveunit=Angstrom&physobs=intensity");
        await using var _ = context;
        await Expect(page.Locator("#status-strip li[data-status=pending]")).ToHaveCountAsync(0);
        await Expect(page.Locator("#counts")).ToContainTextAsync("Showing");
        await page.SelectOptionAsync("#select-instrument", "AIA");
        await page.ClickAsync("#select-instrument-use");
        await page.ClickAsync("#add-to-cart");
        await Expect(page.Locator("#cart-badge")).Not.ToHaveTextAsync("0");
        await page.CheckAsync("#verify-links");
        await page.ClickAsync("#get-links");
        await Expect(page.Locator("#links-table tbody tr")).Not.ToHaveCountAsync(0);

        // The whole form, the strip and the start of the results in the first picture, from the top of the page.
        await page.SetViewportSizeAsync(1280, 1800);
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        var shots = new Dictionary<string, Func<string, Task>>
        {
            ["search-page.png"] = path => page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false }),
            ["status-strip.png"] = path => page.Locator("#status-section").ScreenshotAsync(new LocatorScreenshotOptions { Path = path }),
            ["timeline.png"] = path => page.Locator("#timeline-figure").ScreenshotAsync(new LocatorScreenshotOptions { Path = path }),
            ["results.png"] = path => page.Locator("#results").ScreenshotAsync(new LocatorScreenshotOptions { Path = path }),
            ["cart.png"] = path => page.Locator("#cart").ScreenshotAsync(new LocatorScreenshotOptions { Path = path }),
        };
        foreach (var (name, take) in shots)
        {
            var path = Path.Combine(target, name);
            await take(path);
            Assert.True(new FileInfo(path).Length > 5_000, $"{name} looks empty");
        }
        Assert.Empty(errors);
    }
}
