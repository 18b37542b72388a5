using InventoryOrleans.Grains.Interfaces.Avro;

namespace InventoryOrleans.Api.Options;

/// <summary>Settings of the API (configuration section <c>Api</c>), validated at start.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The h2c endpoint of the gRPC service (HTTP/2 only; REST stays on <c>--urls</c>).</summary>
    public string GrpcUrl { get; set; } = "http://127.0.0.1:5001";

    /// <summary>Comma-separated API keys; when set, writes (and the dashboard) need <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public string? Keys { get; set; }

    /// <summary>
    /// How long <c>?wait=true</c> / <c>wait_for_outcome</c> waits for the grain's decision (1 ms to 1 min;
    /// <c>Api__OutcomeTimeout=00:00:05</c>, or the contract's <c>Api__OutcomeTimeoutMs=5000</c>).
    /// </summary>
    public TimeSpan OutcomeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What <c>POST /api/events</c> (and its shorthands) produce: <c>json</c> (the contract's JSON) or <c>avro</c>
    /// (Confluent-framed Avro of InventoryEvent.avsc, registered under <c>&lt;topic&gt;-value</c>; needs a schema registry).
    /// Bodies are JSON either way.
    /// </summary>
    public string ProduceFormat { get; set; } = "json";

    /// <summary><see cref="ProduceFormat"/> read (JSON when it is not one of the two: the validator refuses that at start).</summary>
    public WireFormat Format => WireFormats.TryParse(ProduceFormat, out var format) ? format : WireFormat.Json;

    /// <summary>The keys, trimmed, empty ones dropped.</summary>
    public IReadOnlyList<string> KeyList => (Keys ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
