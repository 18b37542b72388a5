using System.Globalization;
using System.Text;
using System.Text.Json;

namespace InventoryOrleans.TestSupport.Fuzzing;

/// <summary>
/// Hostile input made from valid documents: inventory events as on the topics (docs/CONTRACTS.md "Inventory event") and the
/// API's sale and threshold bodies, each put through <see cref="JsonMutator"/> — or, one time in eight, left valid, so
/// every run also checks that good input still passes. Everything follows from the seed.
/// </summary>
public static class FuzzEvents
{
    private static readonly string[] Types =
    [
        "Snapshot", "Receipt", "Sale", "Return", "Adjustment", "TransferOut", "TransferIn", "Reservation", "ReservationRelease",
        "Fulfillment", "LowStockThreshold",
    ];

    private static readonly string[] Times = ["2026-01-31T12:00:00Z", "2026-01-31T12:00:00.123+02:00", "2026-11-30T23:59:59.9999999-05:30"];

    /// <summary>A message for an input topic: key and value; the key is the event's productId but one time in ten.</summary>
    public static FuzzCase Message(int seed)
    {
        var random = new Random(seed);
        var productId = ProductId(random, $"p-{seed}");
        var description = new List<string>();
        var value = JsonMutator.Mutate(random, Event(random, productId, complete: true), Mutations(random), description);
        var key = productId;
        if (random.Next(10) == 0)
        {
            key = random.Next(2) == 0 ? "" : productId.ToUpperInvariant() + "x";
            description.Add($"key '{key}'");
        }

        return new FuzzCase(seed, string.Join("; ", description), Encoding.UTF8.GetBytes(key), value);
    }

    /// <summary>A body for <c>POST /api/events</c>: eventId, occurredAt and source may be left out (the API fills them in).</summary>
    public static FuzzCase EventBody(int seed, string productPrefix)
    {
        var random = new Random(seed);
        var productId = ProductId(random, $"{productPrefix}-{seed}");
        return Body(seed, random, productId, Event(random, productId, complete: random.Next(2) == 0));
    }

    /// <summary>A body for <c>POST /api/sales</c>: <c>{"productId","quantity","locationId"?,"eventId"?,"occurredAt"?,"correlationId"?}</c>.</summary>
    public static FuzzCase SaleBody(int seed, string productPrefix)
    {
        var random = new Random(seed);
        var productId = ProductId(random, $"{productPrefix}-{seed}");
        List<(string, string)> fields = [("productId", Literal(productId)), ("quantity", Quantity(random, "Sale"))];
        AddOptional(random, fields, complete: false);
        return Body(seed, random, productId, fields);
    }

    /// <summary>A body for <c>PUT /api/stock/{productId}/low-stock-threshold</c>: <c>{"threshold","eventId"?,"occurredAt"?,"correlationId"?}</c>.</summary>
    public static FuzzCase ThresholdBody(int seed)
    {
        var random = new Random(seed);
        List<(string, string)> fields = [("threshold", Quantity(random, "LowStockThreshold"))];
        AddOptional(random, fields, complete: false);
        return Body(seed, random, "", fields);
    }

    private static FuzzCase Body(int seed, Random random, string productId, List<(string Name, string Value)> fields)
    {
        var description = new List<string>();
        var value = JsonMutator.Mutate(random, fields, Mutations(random), description);
        return new FuzzCase(seed, string.Join("; ", description), Encoding.UTF8.GetBytes(productId), value);
    }

    // None one time in eight (the valid document), else one to three.
    private static int Mutations(Random random) => random.Next(8) == 0 ? 0 : 1 + random.Next(3);

    // Mostly plain; sometimes non-ASCII (escaped or not in the JSON) or exactly the longest allowed.
    private static string ProductId(Random random, string plain) => random.Next(10) switch
    {
        0 => plain + "-ß€😀",
        1 => plain.PadRight(128, 'p'),
        _ => plain,
    };

    private static List<(string Name, string Value)> Event(Random random, string productId, bool complete)
    {
        var type = Types[random.Next(Types.Length)];
        List<(string, string)> fields = [("type", Literal(type)), ("productId", Literal(productId))];
        if (type != "ReservationRelease" || random.Next(2) == 0)
        {
            fields.Add(("quantity", Quantity(random, type)));
        }

        if (type is "Reservation" or "ReservationRelease" or "Fulfillment" || random.Next(5) == 0)
        {
            fields.Add(("reservationId", Literal($"r-{random.Next(100)}")));
        }

        if (type == "Reservation" && random.Next(2) == 0)
        {
            fields.Add(("expiresAt", Literal(Times[random.Next(Times.Length)])));
        }

        if (random.Next(2) == 0)
        {
            fields.Add(("locationId", Literal(random.Next(3) == 0 ? "store-ß" : "dc-1")));
        }

        if (random.Next(3) == 0)
        {
            fields.Add(("source", Literal("POS")));
        }

        AddOptional(random, fields, complete);
        Shuffle(random, fields);
        return fields;
    }

    private static void AddOptional(Random random, List<(string Name, string Value)> fields, bool complete)
    {
        if (complete || random.Next(2) == 0)
        {
            fields.Add(("eventId", Literal($"e-{random.Next(1_000_000)}")));
        }

        if (complete || random.Next(2) == 0)
        {
            fields.Add(("occurredAt", Literal(Times[random.Next(Times.Length)])));
        }

        if (random.Next(3) == 0)
        {
            fields.Add(("correlationId", Literal($"c-{random.Next(100)}")));
        }
    }

    // A valid quantity of the type: mostly small, sometimes at the bound.
    private static string Quantity(Random random, string type)
    {
        long magnitude = random.Next(10) == 0 ? 1_000_000_000 : random.Next(1, 100);
        var quantity = type == "Adjustment" && random.Next(2) == 0 ? -magnitude : magnitude;
        return quantity.ToString(CultureInfo.InvariantCulture);
    }

    private static void Shuffle(Random random, List<(string Name, string Value)> fields)
    {
        for (var i = fields.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (fields[i], fields[j]) = (fields[j], fields[i]);
        }
    }

    // A JSON string literal; non-ASCII is escaped half of the time by System.Text.Json's default encoder, which is fine.
    private static string Literal(string text) => JsonSerializer.Serialize(text);
}
