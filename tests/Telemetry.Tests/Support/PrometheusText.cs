using System.Globalization;
using System.Text;

namespace InventoryOrleans.Telemetry.Tests.Support;

/// <summary>
/// A strict parser of the Prometheus text exposition format (version 0.0.4): <c># HELP</c> and <c># TYPE</c> lines, samples
/// <c>name{label="value",…} value [timestamp]</c> with escaped label values, each sample inside the family its
/// <c># TYPE</c> declared (<c>_bucket</c>, <c>_sum</c>, <c>_count</c> for histograms). Anything else throws
/// <see cref="FormatException"/> naming the line.
/// </summary>
public static class PrometheusText
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        MetricFamily? current = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            try
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith('#'))
                {
                    var parts = line.Split(' ', 4);
                    if (parts.Length >= 3 && parts[0] == "#" && parts[1] == "HELP")
                    {
                        RequireName(parts[2]);
                        help[parts[2]] = parts.Length == 4 ? UnescapeHelp(parts[3]) : "";
                    }
                    else if (parts.Length >= 3 && parts[0] == "#" && parts[1] == "TYPE")
                    {
                        RequireName(parts[2]);
                        if (parts.Length != 4 || !Types.Contains(parts[3]))
                        {
                            throw new FormatException($"unknown type in '{line}'");
                        }

                        if (families.ContainsKey(parts[2]))
                        {
                            throw new FormatException($"second # TYPE for {parts[2]}");
                        }

                        current = new MetricFamily(parts[2], parts[3]);
                        families.Add(current.Name, current);
                    }

                    continue;
                }

                var sample = ParseSample(line);
                if (current is null || !current.Owns(sample.Name))
                {
                    throw new FormatException($"sample {sample.Name} outside the family its # TYPE declares (current: {current?.Name ?? "none"})");
                }

                if (!seen.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}"))
                {
                    throw new FormatException($"duplicate series {sample.Name}");
                }

                current.Samples.Add(sample);
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {i + 1}: {e.Message}: {line}", e);
            }
        }

        foreach (var (name, doc) in help)
        {
            if (families.TryGetValue(name, out var family))
            {
                family.Help = doc;
            }
        }

        return new PrometheusScrape(families);
    }

    private static Sample ParseSample(string line)
    {
        var at = 0;
        var name = ReadName(line, ref at, metric: true);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (true)
            {
                if (at < line.Length && line[at] == '}')
                {
                    at++;
                    break;
                }

                var label = ReadName(line, ref at, metric: false);
                Expect(line, ref at, '=');
                Expect(line, ref at, '"');
                var value = new StringBuilder();
                while (true)
                {
                    if (at >= line.Length)
                    {
                        throw new FormatException("unterminated label value");
                    }

                    var c = line[at++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        if (at >= line.Length)
                        {
                            throw new FormatException("dangling escape");
                        }

                        value.Append(line[at++] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var other => throw new FormatException($"bad escape \\{other}"),
                        });
                        continue;
                    }

                    value.Append(c);
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"label {label} twice");
                }

                if (at < line.Length && line[at] == ',')
                {
                    at++;
                }
                else if (at >= line.Length || line[at] != '}')
                {
                    throw new FormatException("expected ',' or '}' after a label");
                }
            }
        }

        Expect(line, ref at, ' ');
        var rest = line[at..].Split(' ');
        if (rest.Length is 0 or > 2)
        {
            throw new FormatException("expected a value and an optional timestamp");
        }

        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            var text => throw new FormatException($"'{text}' is not a value"),
        };
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"'{rest[1]}' is not a timestamp");
        }

        return new Sample(name, labels, number);
    }

    private static string ReadName(string line, ref int at, bool metric)
    {
        var start = at;
        while (at < line.Length && IsNameChar(line[at], at == start, metric))
        {
            at++;
        }

        return at > start ? line[start..at] : throw new FormatException($"expected a {(metric ? "metric" : "label")} name at column {start + 1}");
    }

    private static void RequireName(string name)
    {
        var at = 0;
        if (ReadName(name, ref at, metric: true) != name)
        {
            throw new FormatException($"'{name}' is not a metric name");
        }
    }

    private static bool IsNameChar(char c, bool first, bool metric) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (metric && c == ':') || (!first && c is >= '0' and <= '9');

    private static void Expect(string line, ref int at, char c)
    {
        if (at >= line.Length || line[at] != c)
        {
            throw new FormatException($"expected '{c}' at column {at + 1}");
        }

        at++;
    }

    // HELP text escapes only backslash and line feed.
    private static string UnescapeHelp(string text)
    {
        var help = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                help.Append(text[i]);
                continue;
            }

            help.Append(++i < text.Length ? text[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                var other => throw new FormatException($"bad escape \\{other} in HELP"),
            } : throw new FormatException("dangling escape in HELP"));
        }

        return help.ToString();
    }
}

/// <summary>The parsed scrape: metric families by name.</summary>
public sealed class PrometheusScrape(IReadOnlyDictionary<string, MetricFamily> families)
{
    public IReadOnlyDictionary<string, MetricFamily> Families { get; } = families;

    public MetricFamily Family(string name) =>
        Families.TryGetValue(name, out var family) ? family : throw new KeyNotFoundException($"no metric family {name} in the scrape (has {string.Join(", ", Families.Keys.Order())})");
}

/// <summary>One <c># TYPE</c> and its samples.</summary>
public sealed class MetricFamily(string name, string type)
{
    public string Name { get; } = name;

    public string Type { get; } = type;

    public string? Help { get; internal set; }

    public List<Sample> Samples { get; } = [];

    /// <summary>The samples named <paramref name="name"/> (default: the family's own) whose labels include every one of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Where(string? name = null, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == (name ?? Name) && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    internal bool Owns(string sample) => Type is "histogram" or "summary"
        ? sample == Name + "_bucket" || sample == Name + "_sum" || sample == Name + "_count" || (Type == "summary" && sample == Name)
        : sample == Name;
}

/// <summary>One series' value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
