using Microsoft.Playwright;

namespace InventoryOrleans.Page.Tests.Support;

/// <summary>
/// Debian's headless Chromium (<see cref="ExecutablePath"/>) driven by Playwright; Playwright's own browser download is
/// never used (it cannot reach anything here). Each <see cref="OpenAsync"/> is a new browser context: its own cookies,
/// cache and credentials, in a profile of its own that Playwright creates empty.
/// </summary>
public sealed class PageBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // This machine's network is closed: without these Chromium keeps trying Google's services (and fails, loudly).
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private PageBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<PageBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium; test.sh does).");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                Timeout = 60_000,
            });
            return new PageBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new context (with <paramref name="options"/>, e.g. HTTP credentials) and a page in it, watched for problems; not navigated yet.</summary>
    public async Task<PageSession> OpenAsync(BrowserNewContextOptions? options = null)
    {
        var context = await _browser.NewContextAsync(options ?? new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return new PageSession(context, page);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
