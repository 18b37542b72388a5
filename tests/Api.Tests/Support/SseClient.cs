using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>One server-sent event: its name, id and data (null for a comment line).</summary>
public sealed record SseMessage(string? Event, string? Id, string? Data, string? Comment)
{
    public JsonObject Json => JsonNode.Parse(Data ?? throw new InvalidOperationException($"no data to parse in {this}"))!.AsObject();

    // Printed in assertion messages, which are built whether or not the assertion fails: a comment (a keep-alive) has no
    // data, so the parsed Json is left out and the raw fields printed.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Event = {Event}, Id = {Id}, Data = {Data}, Comment = {Comment}");
        return true;
    }
}

/// <summary>
/// Reads a <c>text/event-stream</c> response line by line in the background; the test takes messages with a deadline.
/// Disposing it closes the connection, as a client that goes away does.
/// </summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly Task _reader;
    private int _disposed;

    private SseClient(HttpClient http, HttpResponseMessage response, Stream body)
    {
        _http = http;
        _response = response;
        _reader = Task.Run(() => ReadAsync(body));
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream and returns once the response headers arrived.</summary>
    public static async Task<SseClient> OpenAsync(Uri baseAddress, string path)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var headers = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, headers.Token);
        var body = await response.Content.ReadAsStreamAsync(headers.Token);
        return new SseClient(http, response, body);
    }

    /// <summary>The next message (events and comments in arrival order); throws when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SseMessage> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no server-sent event within {timeout.TotalSeconds:0.#} s");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the event stream ended");
        }
    }

    /// <summary>The next <c>stock</c> event, skipping comments; throws when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SseMessage> NextStockAsync(TimeSpan timeout)
    {
        // One deadline for the whole wait: keep-alive comments arrive more often than the timeout, so a deadline per
        // message would wait forever for an event that never comes.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no stock event within {timeout.TotalSeconds:0.#} s (only keep-alives)");
            }

            var message = await NextAsync(left);
            if (message.Event is not null)
            {
                return message;
            }
        }
    }

    /// <summary>Whether a message is waiting already (without waiting).</summary>
    public bool TryTake(out SseMessage? message) => _messages.Reader.TryRead(out message);

    private async Task ReadAsync(Stream body)
    {
        try
        {
            using var reader = new StreamReader(body);
            string? name = null, id = null, data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (name is not null || data is not null)
                    {
                        _messages.Writer.TryWrite(new SseMessage(name, id, data, null));
                    }

                    name = id = data = null;
                }
                else if (line.StartsWith(':'))
                {
                    _messages.Writer.TryWrite(new SseMessage(null, null, null, line[1..].Trim()));
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line["id: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    // The contract puts the JSON on one line: a second data line would be a bug, kept visible.
                    data = data is null ? line["data: ".Length..] : data + "\n" + line["data: ".Length..];
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException
            || (e is ArgumentException && _stop.IsCancellationRequested))
        {
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _response.Dispose();
        _http.Dispose();
        await _reader;
        _stop.Dispose();
    }
}
