using System.Text.Json.Nodes;
using Confluent.Kafka;
using InventoryOrleans.Api.Auth;
using InventoryOrleans.Api.Options;
using InventoryOrleans.Api.Outcomes;
using InventoryOrleans.Api.Posting;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Interfaces.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Rest;

/// <summary>
/// Posting events and sales (a key when <c>Api:Keys</c> is set): validated by the ingest's own parser, produced to the
/// event's input topic, answered 202 with where it landed — or with <c>?wait=true</c>, 200 with the product grain's
/// decision about that message, 410 when the product no longer keeps it, 504 when none came in time. Nothing is
/// produced for a refused event.
/// </summary>
public static partial class EventsApi
{
    private const string WaitError = "'wait' must be true or false";

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api")
            .WithTags("Events")
            .RequireAuthorization(ApiPolicies.Writes)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        group.MapPost("/events", PostEventAsync)
            .WithName("PostEvent")
            .WithSummary("Post one inventory event; ?wait=true answers with its outcome")
            .Accepts<EventRequest>("application/json");
        group.MapPost("/sales", PostSaleAsync)
            .WithName("PostSale")
            .WithSummary("Post a sale (shorthand for a Sale event); ?wait=true answers with its outcome")
            .Accepts<SaleRequest>("application/json");
        group.MapPut("/stock/{productId}/low-stock-threshold", PutLowStockThresholdAsync)
            .WithName("SetLowStockThreshold")
            .WithSummary("Set the product's own low-stock threshold (a LowStockThreshold event through Kafka); ?wait=true answers with its outcome")
            .Accepts<LowStockThresholdRequest>("application/json");
        return group;
    }

    public static Task<Results<Accepted<PostedEventResponse>, Ok<DecidedEventResponse>, ValidationProblem, ProblemHttpResult>> PostEventAsync(
        HttpRequest request,
        EventSubmission submission,
        OutcomeWaiter waiter,
        IOptions<ApiOptions> options,
        ILoggerFactory loggers,
        [FromQuery] string? wait = null,
        CancellationToken cancellationToken = default) =>
        ReadAndPostAsync(request, wait, static body => (body, null), submission, waiter, options, loggers, cancellationToken);

    public static Task<Results<Accepted<PostedEventResponse>, Ok<DecidedEventResponse>, ValidationProblem, ProblemHttpResult>> PostSaleAsync(
        HttpRequest request,
        EventSubmission submission,
        OutcomeWaiter waiter,
        IOptions<ApiOptions> options,
        ILoggerFactory loggers,
        [FromQuery] string? wait = null,
        CancellationToken cancellationToken = default) =>
        ReadAndPostAsync(request, wait, static body => (SaleRequest.ToEvent(body), null), submission, waiter, options, loggers, cancellationToken);

    public static Task<Results<Accepted<PostedEventResponse>, Ok<DecidedEventResponse>, ValidationProblem, ProblemHttpResult>> PutLowStockThresholdAsync(
        string productId,
        HttpRequest request,
        EventSubmission submission,
        OutcomeWaiter waiter,
        IOptions<ApiOptions> options,
        ILoggerFactory loggers,
        [FromQuery] string? wait = null,
        CancellationToken cancellationToken = default) =>
        ReadAndPostAsync(
            request,
            wait,
            body => LowStockThresholdRequest.CheckThreshold(body) is { } error
                ? (null, Invalid("threshold", error))
                : (LowStockThresholdRequest.ToEvent(productId, body), null),
            submission,
            waiter,
            options,
            loggers,
            cancellationToken);

    // Every write route: check ?wait, read the JSON object body (bounded by the event size limit), turn it into the
    // event it stands for (or refuse it), then post it like any event.
    private static async Task<Results<Accepted<PostedEventResponse>, Ok<DecidedEventResponse>, ValidationProblem, ProblemHttpResult>> ReadAndPostAsync(
        HttpRequest request,
        string? wait,
        Func<JsonObject, (JsonObject? Event, ValidationProblem? Refused)> toEvent,
        EventSubmission submission,
        OutcomeWaiter waiter,
        IOptions<ApiOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryParseWait(wait, out var waitForOutcome))
        {
            return Invalid("wait", WaitError);
        }

        var (body, error) = await JsonBody.ReadObjectAsync(request, InventoryEventParser.MaxMessageBytes, cancellationToken);
        if (body is null)
        {
            return Invalid("body", error!);
        }

        var (inventoryEvent, refused) = toEvent(body);
        return inventoryEvent is null
            ? refused!
            : await PostAsync(inventoryEvent, waitForOutcome, submission, waiter, options.Value, loggers, cancellationToken);
    }

    private static async Task<Results<Accepted<PostedEventResponse>, Ok<DecidedEventResponse>, ValidationProblem, ProblemHttpResult>> PostAsync(
        JsonObject body,
        bool wait,
        EventSubmission submission,
        OutcomeWaiter waiter,
        ApiOptions options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        SubmissionResult result;
        try
        {
            result = await submission.SubmitAsync(body, cancellationToken);
        }
        catch (KafkaException e)
        {
            // Valid, but not acknowledged by the broker. It may still have been written: the same eventId again is safe.
            var eventId = body["eventId"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
            Log.ProduceFailed(loggers.CreateLogger(typeof(EventsApi)), eventId, e.Error.Reason);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Kafka unavailable",
                detail: $"The event was not acknowledged by Kafka ({e.Error.Reason}). Post it again with the same eventId: an eventId is never applied twice.",
                extensions: new Dictionary<string, object?> { ["eventId"] = eventId });
        }

        if (result.Posted is not { } posted)
        {
            return Invalid(result.Field!, result.Error!);
        }

        if (!wait)
        {
            return TypedResults.Accepted($"/api/stock/{Uri.EscapeDataString(posted.ProductId)}", PostedEventResponse.From(posted));
        }

        var decision = await waiter.WaitAsync(posted, cancellationToken);
        if (decision is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status504GatewayTimeout,
                title: "No decision yet",
                detail: $"The event was posted, but its product grain did not decide it within {options.OutcomeTimeout.TotalMilliseconds:0} ms (Api__OutcomeTimeout). It stays posted and will be decided.",
                extensions: Where(posted));
        }

        if (decision.NoLongerKept)
        {
            // Decided, but so long ago that the product's de-duplication window no longer holds the decision: saying
            // which it was would be made up. Its outcome record on inventory.outcomes names this message.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status410Gone,
                title: "Decision no longer kept",
                detail: $"The event was posted and its product decided it, but the product no longer keeps that decision: its de-duplication window (the last ProductGrain__DedupWindowSize decisions) moved past it before the wait asked. The outcome record on {Topics.Outcomes} with this topic, partition and offset is the decision.",
                extensions: Where(posted));
        }

        return TypedResults.Ok(DecidedEventResponse.From(posted, decision));
    }

    private static Dictionary<string, object?> Where(PostedEvent posted) => new()
    {
        ["eventId"] = posted.EventId,
        ["topic"] = posted.Topic,
        ["partition"] = posted.Partition,
        ["offset"] = posted.Offset,
    };

    // ?wait=true / ?wait=false (absent: false); read here rather than bound as a bool so a bad value is a 400 naming it.
    private static bool TryParseWait(string? wait, out bool value)
    {
        value = false;
        return wait is null || bool.TryParse(wait, out value);
    }

    private static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Posting {EventId} failed: Kafka did not acknowledge it ({Reason})")]
        public static partial void ProduceFailed(ILogger logger, string? eventId, string reason);
    }
}
