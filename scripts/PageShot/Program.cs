using System.Globalization;
using Microsoft.Playwright;

// dotnet run --project scripts/PageShot -- <url> <output.png> [--width 1400] [--wait-for "<JavaScript expression>"] [--settle 2]
// Opens <url> in headless Chromium, waits until the expression is true in the page (default: the page has loaded),
// lets it settle for a few seconds (charts, live values), and writes a full-page screenshot. Exit 1 on a console error.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: PageShot <url> <output.png> [--width 1400] [--wait-for \"<JavaScript expression>\"] [--settle 2]");
    return 2;
}

var (url, output) = (args[0], args[1]);
var width = int.Parse(Option("--width") ?? "1400", CultureInfo.InvariantCulture);
var waitFor = Option("--wait-for") ?? "document.readyState === 'complete'";
var settle = TimeSpan.FromSeconds(double.Parse(Option("--settle") ?? "2", CultureInfo.InvariantCulture));

Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,

    // The machine's network is closed: keep Chromium from calling home.
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = 1000 } });
var errors = new List<string>();
page.Console += (_, message) =>
{
    if (message.Type == "error")
    {
        errors.Add(message.Text);
    }
};
page.PageError += (_, error) => errors.Add(error);

await page.GotoAsync(url);
await page.WaitForFunctionAsync($"() => {waitFor}", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
await Task.Delay(settle);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await page.ScreenshotAsync(new PageScreenshotOptions { Path = output, FullPage = true });
Console.WriteLine($"{output}: {url}");
foreach (var error in errors)
{
    Console.Error.WriteLine($"console error: {error}");
}

return errors.Count == 0 ? 0 : 1;

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
