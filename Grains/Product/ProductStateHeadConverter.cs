using System.Text.Json;
using System.Text.Json.Serialization;
using InventoryOrleans.Grains.Interfaces;
using InventoryOrleans.Grains.Publication;

namespace InventoryOrleans.Grains.Product;

/// <summary>
/// Writes a <see cref="ProductState"/>'s stored head by hand, byte for byte what System.Text.Json's reflection-driven
/// serializer writes with <see cref="JsonSerializerDefaults.Web"/> (a test holds the two equal for every property), and
/// reads it with that serializer. The head is written with every storage write — once per product per batch — and the
/// metadata-driven property loop was half of that write's serialization, 4–5 % of the ingest's CPU. Keeping the bytes
/// identical keeps every stored state, reader and tool as it was; only the writing got cheaper.
/// </summary>
public sealed class ProductStateHeadConverter : JsonConverter<ProductState>
{
    private static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web);
    private static readonly SeenEventWindowConverter WindowConverter = new();

    private static readonly JsonEncodedText OnHandName = JsonEncodedText.Encode("onHand");
    private static readonly JsonEncodedText ReservedName = JsonEncodedText.Encode("reserved");
    private static readonly JsonEncodedText InTransitName = JsonEncodedText.Encode("inTransit");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText LastEventIdName = JsonEncodedText.Encode("lastEventId");
    private static readonly JsonEncodedText UpdatedAtName = JsonEncodedText.Encode("updatedAt");
    private static readonly JsonEncodedText ReservationsName = JsonEncodedText.Encode("reservations");
    private static readonly JsonEncodedText RemainingName = JsonEncodedText.Encode("remaining");
    private static readonly JsonEncodedText ExpiresAtName = JsonEncodedText.Encode("expiresAt");
    private static readonly JsonEncodedText LastSnapshotAtName = JsonEncodedText.Encode("lastSnapshotAt");
    private static readonly JsonEncodedText OffsetsName = JsonEncodedText.Encode("offsets");
    private static readonly JsonEncodedText PublishedVersionName = JsonEncodedText.Encode("publishedVersion");
    private static readonly JsonEncodedText PendingPublicationName = JsonEncodedText.Encode("pendingPublication");
    private static readonly JsonEncodedText EarlierPublicationName = JsonEncodedText.Encode("earlierPublication");
    private static readonly JsonEncodedText PartitionName = JsonEncodedText.Encode("partition");
    private static readonly JsonEncodedText EpochName = JsonEncodedText.Encode("epoch");
    private static readonly JsonEncodedText AttemptName = JsonEncodedText.Encode("attempt");
    private static readonly JsonEncodedText ExpiryReleasedVersionName = JsonEncodedText.Encode("expiryReleasedVersion");
    private static readonly JsonEncodedText ExpiryReminderAtName = JsonEncodedText.Encode("expiryReminderAt");
    private static readonly JsonEncodedText WatchedUntilName = JsonEncodedText.Encode("watchedUntil");
    private static readonly JsonEncodedText LowStockThresholdName = JsonEncodedText.Encode("lowStockThreshold");
    private static readonly JsonEncodedText ThresholdInForceName = JsonEncodedText.Encode("thresholdInForce");
    private static readonly JsonEncodedText LowStockName = JsonEncodedText.Encode("lowStock");
    private static readonly JsonEncodedText RecentAlertsName = JsonEncodedText.Encode("recentAlerts");
    private static readonly JsonEncodedText ProductIdName = JsonEncodedText.Encode("productId");
    private static readonly JsonEncodedText AvailableName = JsonEncodedText.Encode("available");
    private static readonly JsonEncodedText ThresholdName = JsonEncodedText.Encode("threshold");
    private static readonly JsonEncodedText StateName = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText AtName = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText WindowName = JsonEncodedText.Encode("window");

    /// <summary>Options for a store of product heads: this converter over the Web defaults.</summary>
    public static JsonSerializerOptions StorageOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new ProductStateHeadConverter() },
    };

    public override ProductState? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<ProductState>(ref reader, ReadOptions);

    public override void Write(Utf8JsonWriter writer, ProductState value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        WriteCounts(writer, OnHandName, value.OnHand);
        writer.WriteNumber(ReservedName, value.Reserved);
        writer.WriteNumber(InTransitName, value.InTransit);
        writer.WriteNumber(VersionName, value.Version);
        writer.WriteString(LastEventIdName, value.LastEventId);
        writer.WriteString(UpdatedAtName, value.UpdatedAt);
        WriteReservations(writer, value.Reservations);
        WriteTimes(writer, LastSnapshotAtName, value.LastSnapshotAt);
        WriteCounts(writer, OffsetsName, value.Offsets);
        WriteNullable(writer, PublishedVersionName, value.PublishedVersion);
        WritePublication(writer, PendingPublicationName, value.PendingPublication);
        WritePublication(writer, EarlierPublicationName, value.EarlierPublication);
        WriteNullable(writer, ExpiryReleasedVersionName, value.ExpiryReleasedVersion);
        WriteNullable(writer, ExpiryReminderAtName, value.ExpiryReminderAt);
        WriteNullable(writer, WatchedUntilName, value.WatchedUntil);
        WriteNullable(writer, LowStockThresholdName, value.LowStockThreshold);
        writer.WriteNumber(ThresholdInForceName, value.ThresholdInForce);
        writer.WriteBoolean(LowStockName, value.LowStock);
        WriteAlerts(writer, value.RecentAlerts);
        writer.WritePropertyName(WindowName);
        if (value.Window is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            WindowConverter.Write(writer, value.Window, options);
        }

        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, JsonEncodedText name, Dictionary<string, long>? counts)
    {
        if (counts is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            writer.WriteNumber(key, count);
        }

        writer.WriteEndObject();
    }

    private static void WriteTimes(Utf8JsonWriter writer, JsonEncodedText name, Dictionary<string, DateTimeOffset>? times)
    {
        if (times is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        foreach (var (key, at) in times)
        {
            writer.WriteString(key, at);
        }

        writer.WriteEndObject();
    }

    private static void WriteReservations(Utf8JsonWriter writer, Dictionary<string, ReservationHold>? reservations)
    {
        if (reservations is null)
        {
            writer.WriteNull(ReservationsName);
            return;
        }

        writer.WriteStartObject(ReservationsName);
        foreach (var (reservationId, hold) in reservations)
        {
            writer.WritePropertyName(reservationId);
            if (hold is null)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            writer.WriteNumber(RemainingName, hold.Remaining);
            WriteNullable(writer, ExpiresAtName, hold.ExpiresAt);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WritePublication(Utf8JsonWriter writer, JsonEncodedText name, PendingPublication? publication)
    {
        if (publication is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartObject(name);
        writer.WriteNumber(PartitionName, publication.Partition);
        writer.WriteNumber(EpochName, publication.Epoch);
        writer.WriteNumber(AttemptName, publication.Attempt);
        writer.WriteNumber(VersionName, publication.Version);
        writer.WriteEndObject();
    }

    private static void WriteAlerts(Utf8JsonWriter writer, List<LowStockAlert>? alerts)
    {
        if (alerts is null)
        {
            writer.WriteNull(RecentAlertsName);
            return;
        }

        writer.WriteStartArray(RecentAlertsName);
        foreach (var alert in alerts)
        {
            if (alert is null)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString(ProductIdName, alert.ProductId);
            writer.WriteNumber(AvailableName, alert.Available);
            writer.WriteNumber(ThresholdName, alert.Threshold);
            writer.WriteNumber(StateName, (int)alert.State);
            writer.WriteNumber(VersionName, alert.Version);
            writer.WriteString(AtName, alert.At);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } at)
        {
            writer.WriteString(name, at);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
