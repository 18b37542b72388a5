using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace InventoryOrleans.Page.Tests.Support;

/// <summary>
/// One page in its own browser context, recording what a person with the developer tools open would see go wrong:
/// console errors, uncaught exceptions, failed requests and error statuses. Disposing it closes the context.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<(DateTime At, string Url)> _requests = new();

    public PageSession(IBrowserContext context, IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type is "error")
            {
                _problems.Enqueue($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"uncaught: {error}");
        page.RequestFailed += (_, request) => _problems.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _problems.Enqueue($"HTTP {response.Status.ToString(CultureInfo.InvariantCulture)}: {response.Request.Method} {response.Url}");
            }
        };
        page.Request += (_, request) => _requests.Enqueue((DateTime.UtcNow, request.Url));
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Everything that went wrong so far.</summary>
    public IReadOnlyList<string> Problems => [.. _problems];

    /// <summary>When the page requested a URL whose path is <paramref name="path"/>.</summary>
    public IReadOnlyList<DateTime> RequestsOf(string path) =>
        [.. _requests.Where(r => new Uri(r.Url).AbsolutePath == path).Select(r => r.At)];

    /// <summary>An element's text, trimmed (empty when it has none).</summary>
    public async Task<string> TextAsync(string selector) => ((await Page.Locator(selector).TextContentAsync()) ?? "").Trim();

    /// <summary>A shown count ("12,345") as a number; null while the page shows none ("–").</summary>
    public async Task<long?> CountAsync(string selector)
    {
        var text = (await TextAsync(selector)).Replace(",", "", StringComparison.Ordinal);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>Waits, in the page, until <paramref name="predicate"/> (a JavaScript function body's expression) is true.</summary>
    public Task WaitUntilAsync(string predicate, TimeSpan timeout) =>
        Page.WaitForFunctionAsync($"() => {predicate}", null, new PageWaitForFunctionOptions { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 20 });

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
