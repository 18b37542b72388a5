using System.Text.Json;

namespace InventoryOrleans.Deploy.Tests.Compose;

/// <summary>
/// Debian's docker-compose 1.29 on the repository's <c>docker-compose.yml</c>. Its <c>config</c> command loads,
/// interpolates, merges and validates the file against the compose schema without a Docker engine; its YAML output is
/// read with the YAML library docker-compose itself runs on (PyYAML, under the interpreter of its #! line).
/// </summary>
internal static class DockerCompose
{
    public const string FileName = "docker-compose.yml";

    /// <summary>
    /// <c>INVENTORY_API_KEYS</c> unless a test sets it (null to leave it unset): the file has no default for the keys and
    /// refuses to be configured without them.
    /// </summary>
    public const string Keys = "deploy-test-key-1,deploy-test-key-2";

    /// <summary>Variables the file reads; unset unless a test sets them, so the defaults are what is checked (but <see cref="Keys"/>).</summary>
    private static readonly string[] Variables = ["INVENTORY_API_KEYS", "INVENTORY_BIND", "INVENTORY_TAG", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME"];

    /// <summary>
    /// An empty file given as <c>--env-file</c>: an operator's <c>.env</c> beside the compose file (where docs/operations.md says
    /// to keep the keys) must not decide what the tests see.
    /// </summary>
    private static readonly Lazy<string> NoEnvFile = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "no-compose.env");
        File.WriteAllText(path, "");
        return path;
    });

    /// <summary>Runs <c>docker-compose -f docker-compose.yml ARGS</c> in the repository root.</summary>
    public static Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = Variables.ToDictionary(v => v, _ => (string?)null);
        variables["INVENTORY_API_KEYS"] = Keys;
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[key] = value;
        }

        return ProcessRun.RunAsync(Executable(), ["--env-file", NoEnvFile.Value, "-f", FileName, .. arguments], Repository.Root, variables);
    }

    /// <summary>The configuration <c>docker-compose config</c> prints, as JSON; fails the test when it does not pass.</summary>
    public static async Task<JsonElement> ConfigAsync(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var config = await RunAsync(["config"], environment);
        Assert.True(config.ExitCode == 0, $"docker-compose config failed: {config}");
        var (interpreter, interpreterArguments) = Interpreter();
        var json = await ProcessRun.RunAsync(
            interpreter,
            [.. interpreterArguments, "-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
            Repository.Root,
            input: config.Output);
        Assert.True(json.ExitCode == 0, $"the output of docker-compose config is not YAML: {json}");
        using var document = JsonDocument.Parse(json.Output);
        return document.RootElement.Clone();
    }

    private static string Executable()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "docker-compose"))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            "docker-compose is not installed: ./test.sh installs Debian's (apt-get install --no-install-recommends docker-compose), which validates compose files without a Docker engine.");
    }

    // "#!/usr/bin/python3" or "#!/usr/bin/env python3": the Python that docker-compose, and so PyYAML, runs on.
    private static (string File, string[] Arguments) Interpreter()
    {
        var shebang = File.ReadLines(Executable()).First();
        Assert.StartsWith("#!", shebang, StringComparison.Ordinal);
        var words = shebang[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (words[0], words[1..]);
    }
}
