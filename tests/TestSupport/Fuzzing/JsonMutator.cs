using System.Text;

namespace InventoryOrleans.TestSupport.Fuzzing;

/// <summary>
/// Turns a valid JSON object (its fields in order, values as raw JSON) into hostile input with a few mutations: fields
/// dropped, duplicated, renamed or given values of the wrong kind, odd numbers and strings, huge strings and deep
/// nesting; then, on the bytes, a byte order mark, malformed UTF-8, truncation, stray bytes, trailing content or a size
/// over 1 MiB. Deterministic for a given <see cref="Random"/>; the description says what was done.
/// </summary>
public static class JsonMutator
{
    /// <summary>Depth of the deepest nesting tried: far beyond any reader's limit.</summary>
    public const int DeepNesting = 10_000;

    private const int OverOneMebibyte = (1024 * 1024) + 16;

    /// <summary>Applies <paramref name="mutations"/> random mutations to <paramref name="fields"/> and returns the bytes.</summary>
    public static byte[] Mutate(Random random, List<(string Name, string Value)> fields, int mutations, List<string> description)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(description);
        byte[]? bytes = null;
        for (var i = 0; i < mutations; i++)
        {
            // Structured mutations first, while there is a document to change; byte mutations from then on.
            var kind = random.Next(bytes is null ? 22 : 8);
            if (kind >= 8)
            {
                description.Add(MutateFields(random, fields, kind - 8));
            }
            else
            {
                bytes ??= Serialize(fields);
                bytes = MutateBytes(random, bytes, kind, description);
            }
        }

        return bytes ?? Serialize(fields);
    }

    /// <summary>The object as UTF-8 JSON, fields in order.</summary>
    public static byte[] Serialize(List<(string Name, string Value)> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Encoding.UTF8.GetBytes("{" + string.Join(",", fields.Select(f => $"\"{f.Name}\":{f.Value}")) + "}");
    }

    private static string MutateFields(Random random, List<(string Name, string Value)> fields, int kind)
    {
        if (fields.Count == 0)
        {
            fields.Add(("x", HostileJson.RandomValue(random, 3)));
            return "add a field to an empty object";
        }

        var at = random.Next(fields.Count);
        var (name, value) = fields[at];
        switch (kind)
        {
            case 0:
                fields.RemoveAt(at);
                return $"drop {name}";
            case 1 or 2:
                fields[at] = (name, HostileJson.AnyValue(random));
                return $"{name} := {Clip(fields[at].Value)}";
            case 3:
                // The count, where the numbers matter most, when there is one.
                var count = fields.FindIndex(f => f.Name is "quantity" or "threshold");
                at = count >= 0 ? count : at;
                fields[at] = (fields[at].Name, HostileJson.Numbers[random.Next(HostileJson.Numbers.Length)]);
                return $"{fields[at].Name} := number {fields[at].Value}";
            case 4:
                var length = random.Next(10) == 0 ? OverOneMebibyte : new[] { 129, 4096, 70_000 }[random.Next(3)];
                fields[at] = (name, HostileJson.LongString(length, random.Next(2) == 0 ? 'x' : 'ß'));
                return $"{name} := string of {length} characters";
            case 5 or 6:
                var duplicate = random.Next(2) == 0 ? value : HostileJson.AnyValue(random);
                fields.Insert(random.Next(fields.Count + 1), (name, duplicate));
                return $"duplicate {name} with {Clip(duplicate)}";
            case 7:
                var depth = random.Next(3) switch { 0 => 65, 1 => 1_000, _ => DeepNesting };
                var objects = random.Next(2) == 0;
                var closed = random.Next(4) != 0;
                fields[at] = (random.Next(2) == 0 ? name : "extra", HostileJson.Nested(depth, objects, closed));
                return $"{fields[at].Name} := {(objects ? "objects" : "arrays")} nested {depth} deep{(closed ? "" : ", unclosed")}";
            case 8:
                var (first, rest) = name.Length > 0 ? (name[0], name[1..]) : ('x', "");
                var renamed = random.Next(4) switch
                {
                    0 => char.ToUpperInvariant(first) + rest,
                    1 => $"\\u{(int)first:x4}{rest}",
                    2 => name + " ",
                    _ => "",
                };
                fields[at] = (renamed, value);
                return $"rename {name} to {renamed}";
            case 9 or 10:
                fields.Insert(random.Next(fields.Count + 1), ("extra", HostileJson.RandomValue(random, 4)));
                return "add an unknown field";
            case 11:
                fields[at] = (name, HostileJson.RandomValue(random, 3));
                return $"{name} := random {Clip(fields[at].Value)}";
            case 12:
                (fields[at], fields[fields.Count - 1]) = (fields[^1], fields[at]);
                return "reorder";
            default:
                fields.Clear();
                foreach (var _ in Enumerable.Range(0, random.Next(6)))
                {
                    fields.Add((random.Next(2) == 0 ? "extra" : "quantity", HostileJson.RandomValue(random, 4)));
                }

                return "replace every field";
        }
    }

    private static byte[] MutateBytes(Random random, byte[] bytes, int kind, List<string> description)
    {
        var at = random.Next(bytes.Length + 1);
        switch (kind)
        {
            case 0:
                description.Add("byte order mark");
                return [.. HostileJson.ByteOrderMark, .. bytes];
            case 1:
                var invalid = HostileJson.InvalidUtf8[random.Next(HostileJson.InvalidUtf8.Length)];
                description.Add($"invalid UTF-8 {Convert.ToHexString(invalid)} at {at}");
                return [.. bytes.AsSpan(0, at), .. invalid, .. bytes.AsSpan(at)];
            case 2:
                description.Add($"truncate at {at}");
                return bytes[..at];
            case 3 when bytes.Length > 0:
                var flipped = (byte[])bytes.Clone();
                var position = random.Next(bytes.Length);
                flipped[position] = (byte)random.Next(256);
                description.Add($"byte {position} := {flipped[position]:X2}");
                return flipped;
            case 4:
                const string Stray = ",:{}[]\"\\ \n\0x";
                var inserted = Encoding.UTF8.GetBytes(Stray[random.Next(Stray.Length)].ToString());
                description.Add($"insert {Convert.ToHexString(inserted)} at {at}");
                return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
            case 5:
                var trailing = new[] { " {}", "x", "\n", "\0", ",", "  \r\n\t" }[random.Next(6)];
                description.Add($"append {Convert.ToHexString(Encoding.UTF8.GetBytes(trailing))}");
                return [.. bytes, .. Encoding.UTF8.GetBytes(trailing)];
            case 6:
                var whole = random.Next(6) switch { 0 => "", 1 => "null", 2 => "[]", 3 => "\"text\"", 4 => "123", _ => HostileJson.RandomValue(random, 5) };
                description.Add($"replace with {Clip(whole)}");
                return Encoding.UTF8.GetBytes(whole);
            case 7 when random.Next(3) != 0:
                description.Add("wrap in whitespace");
                return [.. " \n"u8, .. bytes, .. "\r\n "u8];
            default:
                description.Add("pad over 1 MiB");
                var padding = Encoding.UTF8.GetBytes($",\"pad\":{HostileJson.LongString(OverOneMebibyte)}");
                var end = Array.LastIndexOf(bytes, (byte)'}');
                return end < 0 ? [.. bytes, .. padding] : [.. bytes.AsSpan(0, end), .. padding, .. bytes.AsSpan(end)];
        }
    }

    private static string Clip(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
