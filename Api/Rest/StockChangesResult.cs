using System.Globalization;
using System.Reflection;
using System.Text;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// Streams a <see cref="StockWatch"/> as <c>text/event-stream</c>: one event <c>stock</c> per stock, <c>id:</c> its
/// version, <c>data:</c> the net-stock JSON on one line (exactly the bytes of <c>inventory.net-stock</c>), a comment
/// line every <see cref="HeartbeatInterval"/> so proxies keep the connection; ends when the client goes, and the
/// watch (its stream subscriptions) is disposed whatever happens. A client that falls behind gets each product's
/// newest stock; one that leaves a stock unread longer than <c>Watch:MaxLag</c> is ended with an event <c>end</c> whose
/// data says why (an <c>EventSource</c> reconnects and starts again from the current stock), or, when it does not read
/// that either within as long again, by dropping the connection.
/// </summary>
public sealed class StockChangesResult(StockWatch watch, TimeProvider time) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/event-stream";

    /// <summary>How often a comment line goes out while nothing changes.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    /// <summary>The event that ends a stream whose reader fell behind.</summary>
    public const string EndEvent = "end";

    private static readonly byte[] Heartbeat = ": keep-alive\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        await using var _ = watch;
        var aborted = httpContext.RequestAborted;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // The timer exists before the headers go out, so a client that has them knows the heartbeat is running.
        using var heartbeat = new PeriodicTimer(HeartbeatInterval, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, watch.Cutoff);
        var stocks = watch.ReadAllAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool>? nextStock = null;
        try
        {
            // Headers at once: a client of a product with no stock yet sees the stream open before its first change.
            await response.Body.FlushAsync(stop.Token);
            nextStock = stocks.MoveNextAsync().AsTask();
            var nextBeat = heartbeat.WaitForNextTickAsync(stop.Token).AsTask();
            while (true)
            {
                if (await Task.WhenAny(nextStock, nextBeat) == nextStock)
                {
                    if (!await nextStock)
                    {
                        // The watch was overrun: the reader fell behind.
                        await WriteEndAsync(response, watch.EndReason, stop.Token);
                        return;
                    }

                    await WriteStockAsync(response, stocks.Current, stop.Token);
                    nextStock = stocks.MoveNextAsync().AsTask();
                }
                else
                {
                    await nextBeat;
                    await response.Body.WriteAsync(Heartbeat, stop.Token);
                    await response.Body.FlushAsync(stop.Token);
                    nextBeat = heartbeat.WaitForNextTickAsync(stop.Token).AsTask();
                }
            }
        }
        catch (Exception e) when ((aborted.IsCancellationRequested || watch.Cutoff.IsCancellationRequested) && e is OperationCanceledException or IOException)
        {
            // The client went (the normal end of a watch), or fell behind and did not read its end either: a write
            // given up drops the connection.
        }
        finally
        {
            // An async iterator is disposed only once its pending MoveNextAsync has finished, which the cancellation ends.
            await stop.CancelAsync();
            if (nextStock is not null)
            {
                await ((Task)nextStock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await stocks.DisposeAsync();
        }
    }

    private static async Task WriteStockAsync(HttpResponse response, StockView stock, CancellationToken cancellationToken)
    {
        var frame = new StringBuilder(512)
            .Append("event: stock\nid: ")
            .Append(stock.Version.ToString(CultureInfo.InvariantCulture))
            .Append("\ndata: ")
            .Append(Encoding.UTF8.GetString(RecordSerializer.NetStock(stock)))
            .Append("\n\n");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame.ToString()), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteEndAsync(HttpResponse response, string? reason, CancellationToken cancellationToken)
    {
        // One line of data: the reason has no line break of its own.
        var frame = $"event: {EndEvent}\ndata: {reason?.ReplaceLineEndings(" ")}\n\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentType]));
    }
}
