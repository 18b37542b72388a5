using System.Globalization;
using System.Text.Json;

namespace InventoryOrleans.Deploy.Tests.Compose;

/// <summary>One service of the configuration <c>docker-compose config</c> printed.</summary>
internal sealed class ComposeService(string name, JsonElement service)
{
    public string Name { get; } = name;

    public JsonElement Json { get; } = service;

    public string? Image => Text("image");

    /// <summary>The Dockerfile it is built from, relative to its build context; null for an image-only service.</summary>
    public string? Dockerfile => Json.TryGetProperty("build", out var build) && build.TryGetProperty("dockerfile", out var file) ? file.GetString() : null;

    /// <summary>The build context (docker-compose config prints it as an absolute path).</summary>
    public string? BuildContext => Json.TryGetProperty("build", out var build) && build.TryGetProperty("context", out var context) ? context.GetString() : null;

    /// <summary>Its environment, values as the container sees them (numbers as their text).</summary>
    public IReadOnlyDictionary<string, string> Environment =>
        Json.TryGetProperty("environment", out var environment)
            ? environment.EnumerateObject().ToDictionary(p => p.Name, p => Scalar(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>depends_on: service name → condition.</summary>
    public IReadOnlyDictionary<string, string> DependsOn =>
        Json.TryGetProperty("depends_on", out var depends)
            ? depends.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("condition").GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>Published ports as (host address or "", host port, container port).</summary>
    public IReadOnlyList<(string HostIp, int Published, int Target)> Ports =>
        Json.TryGetProperty("ports", out var ports) ? [.. ports.EnumerateArray().Select(Port)] : [];

    /// <summary>The healthcheck's test, e.g. ["CMD-SHELL", "…"]; null when the service defines none.</summary>
    public IReadOnlyList<string>? HealthcheckTest =>
        Json.TryGetProperty("healthcheck", out var health) && health.TryGetProperty("test", out var test)
            ? test.ValueKind == JsonValueKind.Array ? [.. test.EnumerateArray().Select(t => t.GetString()!)] : ["CMD-SHELL", test.GetString()!]
            : null;

    public IReadOnlyList<string> Command =>
        Json.TryGetProperty("command", out var command) ? [.. command.EnumerateArray().Select(Scalar)] : [];

    public IReadOnlyList<string> Volumes =>
        Json.TryGetProperty("volumes", out var volumes) ? [.. volumes.EnumerateArray().Select(v => v.GetString()!)] : [];

    public string? Text(string property) => Json.TryGetProperty(property, out var value) ? Scalar(value) : null;

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    // Long syntax {published, target} or short "127.0.0.1:9092:19092/tcp", both as docker-compose 1.29 prints them.
    private static (string, int, int) Port(JsonElement port)
    {
        if (port.ValueKind == JsonValueKind.Object)
        {
            return ("", port.GetProperty("published").GetInt32(), port.GetProperty("target").GetInt32());
        }

        var parts = port.GetString()!.Split('/')[0].Split(':');
        return parts.Length switch
        {
            3 => (parts[0], Parse(parts[1]), Parse(parts[2])),
            2 => ("", Parse(parts[0]), Parse(parts[1])),
            _ => throw new FormatException($"unexpected port mapping {port}"),
        };
    }

    private static int Parse(string number) => int.Parse(number, CultureInfo.InvariantCulture);
}
