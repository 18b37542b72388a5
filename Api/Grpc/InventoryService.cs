using KafkaException = Confluent.Kafka.KafkaException;
using Grpc.Core;
using InventoryOrleans.Api.Auth;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Outcomes;
using InventoryOrleans.Api.Posting;
using InventoryOrleans.Api.Watching;
using InventoryOrleans.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Grpc;

/// <summary>
/// <c>inventory.v1.Inventory</c> (Api/Protos/inventory.proto, the contract's proto copied unchanged): reads from the
/// product grains, watches their stock streams, posts events through the same submission as REST (one validator: the
/// ingest's parser) and waits for the grain's decision wherever the grain lives.
/// </summary>
public sealed partial class InventoryService(
    IGrainFactory grains,
    EventSubmission submission,
    OutcomeWaiter outcomes,
    StockWatcher watcher,
    IOptions<ApiOptions> options,
    ILogger<InventoryService> logger) : Inventory.InventoryBase
{
    /// <summary>The full name clients, reflection and the health service know the service by.</summary>
    public static string ServiceName => Inventory.Descriptor.FullName;

    public override async Task<Stock> GetStock(GetStockRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var productId = ProductIdRules.Check(request.ProductId);
        var stock = await grains.GetProductGrain(productId).GetStockAsync().WaitAsync(context.CancellationToken);
        return stock.Version > 0
            ? StockMessages.From(stock)
            : throw new RpcException(new Status(StatusCode.NotFound, $"product '{productId}' has no stock: no applied event ever changed it"));
    }

    public override async Task<GetStocksResponse> GetStocks(GetStocksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var productIds = ProductIdRules.CheckList(request.ProductIds, ignoreEmpty: true);
        var stocks = await Task.WhenAll(productIds.Select(id => grains.GetProductGrain(id).GetStockAsync()))
            .WaitAsync(context.CancellationToken);
        var response = new GetStocksResponse();
        foreach (var stock in stocks)
        {
            if (stock.Version > 0)
            {
                response.Items.Add(StockMessages.From(stock));
            }
            else
            {
                response.Missing.Add(stock.ProductId);
            }
        }

        return response;
    }

    public override async Task WatchStock(WatchStockRequest request, IServerStreamWriter<Stock> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var productIds = ProductIdRules.CheckList(request.ProductIds, ignoreEmpty: false);
        var cancellation = context.CancellationToken;
        string? overrun;
        try
        {
            await using var watch = await watcher.WatchAsync(productIds, cancellation);

            // Headers go out once every subscription is in place: a client that awaits them misses no later change,
            // also for products that have no stock to send yet.
            await context.WriteResponseHeadersAsync([]);

            // A write blocked by a client that reads nothing gives up once the watch is cut off (see StockWatch).
            using var writes = CancellationTokenSource.CreateLinkedTokenSource(cancellation, watch.Cutoff);
            try
            {
                await foreach (var stock in watch.ReadAllAsync(cancellation))
                {
                    await responseStream.WriteAsync(StockMessages.From(stock), writes.Token);
                }
            }
            catch (OperationCanceledException) when (watch.Cutoff.IsCancellationRequested && !cancellation.IsCancellationRequested)
            {
                // The stream was reset with the write: the status below is for the record (and the server's log).
            }

            // Reading ends on its own only when the watch was overrun.
            overrun = watch.EndReason;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The client went away or its deadline passed; disposing the watch removed its stream subscriptions.
            Log.WatchEnded(logger, productIds.Count);
            return;
        }

        throw new RpcException(new Status(StatusCode.ResourceExhausted, overrun ?? "the watch ended"));
    }

    [Authorize(Policy = ApiPolicies.Writes)]
    public override async Task<PostEventResponse> PostEvent(PostEventRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Event is null)
        {
            throw InvalidArgument("event", "'event' is required");
        }

        var (json, field, error) = EventJsonMapping.ToJson(request.Event);
        if (json is null)
        {
            throw InvalidArgument(field!, error!);
        }

        SubmissionResult submitted;
        try
        {
            submitted = await submission.SubmitAsync(json, context.CancellationToken);
        }
        catch (KafkaException e)
        {
            Log.ProduceFailed(logger, e.Error.Reason);
            throw new RpcException(new Status(StatusCode.Unavailable, $"the event could not be produced ({e.Error.Reason}); nothing was posted, try again"));
        }

        if (submitted.Posted is not { } posted)
        {
            throw InvalidArgument(submitted.Field ?? "body", submitted.Error ?? "invalid event");
        }

        var response = new PostEventResponse
        {
            EventId = posted.EventId,
            Topic = posted.Topic,
            Partition = posted.Partition,
            Offset = posted.Offset,
        };
        if (!request.WaitForOutcome)
        {
            return response;
        }

        var decision = await outcomes.WaitAsync(posted, context.CancellationToken);
        if (decision is null)
        {
            throw new RpcException(
                new Status(StatusCode.DeadlineExceeded, $"no decision on event '{posted.EventId}' within {options.Value.OutcomeTimeout.TotalMilliseconds:0} ms; it stays posted ({posted.Topic} partition {posted.Partition} offset {posted.Offset}) and will be decided"),
                PostedTrailers(posted));
        }

        if (decision.NoLongerKept)
        {
            // REST answers 410: decided, but the product's de-duplication window no longer holds the decision.
            throw new RpcException(
                new Status(StatusCode.NotFound, $"event '{posted.EventId}' was decided, but its product no longer keeps that decision (its de-duplication window moved past it); the outcome record on {Topics.Outcomes} for {posted.Topic} partition {posted.Partition} offset {posted.Offset} is the decision"),
                PostedTrailers(posted));
        }

        response.Outcome = StockMessages.From(decision);
        return response;
    }

    // The REST 504 names the eventId; gRPC clients get where the event went as trailers too, to look for its outcome.
    private static Metadata PostedTrailers(PostedEvent posted) => new()
    {
        { "event-id", posted.EventId },
        { "topic", posted.Topic },
        { "partition", posted.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { "offset", posted.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    // The field (camelCase, as in the JSON contract) leads the message, like the keys of REST's ValidationProblemDetails.
    private static RpcException InvalidArgument(string field, string error) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {error}"));

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "WatchStock of {Products} products ended: the client went away")]
        public static partial void WatchEnded(ILogger logger, int products);

        [LoggerMessage(Level = LogLevel.Warning, Message = "PostEvent: the event could not be produced: {Reason}")]
        public static partial void ProduceFailed(ILogger logger, string reason);
    }
}
