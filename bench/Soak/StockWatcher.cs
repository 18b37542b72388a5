namespace InventoryOrleans.Bench.Soak;

/// <summary>
/// One client of <c>GET /api/stock/{id}/changes</c>: a fast one reads everything as it comes; a slow one reads a
/// small buffer once a second, so the server sees a watcher that falls behind and has to bound what it keeps for it.
/// Counts what it read and how its stream ended.
/// </summary>
internal sealed class StockWatcher(HttpClient http, string productId, bool slow)
{
    private long _bytes;
    private long _events;

    public bool Slow => slow;

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Events => Interlocked.Read(ref _events);

    /// <summary>How the last stream ended (null while it runs): "server ended", or the error.</summary>
    public string? Ended { get; private set; }

    /// <summary>Streams ended by the server or an error, each followed by a new watch.</summary>
    public int Restarts { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[slow ? 512 : 16 * 1024];
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"/api/stock/{productId}/changes", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    Interlocked.Add(ref _bytes, read);
                    Interlocked.Add(ref _events, CountEvents(buffer.AsSpan(0, read)));
                    if (slow)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }

                Ended = "server ended";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                Ended = ex.GetType().Name + ": " + ex.Message;
            }

            Restarts++;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // An SSE event named "stock" starts with this line; counting it is enough to see a reader keep up or not.
    private static int CountEvents(ReadOnlySpan<byte> chunk) => System.Text.Encoding.ASCII.GetString(chunk).Split("event: stock").Length - 1;
}
