using Microsoft.AspNetCore.Http;

namespace InventoryOrleans.DevBroker.SchemaRegistry.Http;

/// <summary>Turns registry outcomes into HTTP answers: the value as JSON, or Confluent's error body and status.</summary>
internal static class RegistryResults
{
    public static IResult Ok(object value) => new RegistryJsonResult(value, StatusCodes.Status200OK);

    public static IResult Error(RegistryError error) =>
        new RegistryJsonResult(new ErrorBody(error.Code, error.Message), error.Status);

    public static IResult From<T>(RegistryOutcome<T> outcome, Func<T, object> body) =>
        outcome.Error is { } error ? Error(error) : Ok(body(outcome.Value!));
}
