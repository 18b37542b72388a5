namespace InventoryOrleans.Api.Options;

/// <summary>Settings of the API (configuration section <c>Api</c>), validated at start.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The h2c endpoint of the gRPC service (HTTP/2 only; REST stays on <c>--urls</c>).</summary>
    public string GrpcUrl { get; set; } = "http://127.0.0.1:5001";

    /// <summary>Comma-separated API keys; when set, writes (and the dashboard) need <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public string? Keys { get; set; }

    /// <summary>How long <c>?wait=true</c> / <c>wait_for_outcome</c> waits for the grain's decision (1–60000 ms).</summary>
    public int OutcomeTimeoutMs { get; set; } = 5_000;

    /// <summary>The keys, trimmed, empty ones dropped.</summary>
    public IReadOnlyList<string> KeyList => (Keys ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
