using System.Text.Json;
using Avro;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// Whether a reader schema can read everything a writer schema writes, by the schema-resolution rules of the Avro
/// specification, checked the way Avro's Java <c>SchemaCompatibility</c> (which Confluent's registry uses) checks them:
/// <list type="bullet">
/// <item>same primitive type; promotions int → long, float, double; long → float, double; float → double; string ↔ bytes;</item>
/// <item>records, enums and fixed: the unqualified names match, or the reader's aliases hold the writer's full name;</item>
/// <item>records: each reader field is found in the writer (by name or one of the reader field's aliases) and readable
/// from it, or it has a default; writer fields the reader lacks are skipped;</item>
/// <item>enums: every writer symbol is a reader symbol, unless the reader has a default symbol; fixed: same size;</item>
/// <item>arrays and maps: their items / values; a writer union: every branch readable; a reader union: some branch reads
/// the writer's type. Logical types are read as their underlying types.</item>
/// </list>
/// Apache.Avro's own <c>Schema.CanRead</c> is not used: it is the decoder's quick check, and it passes what the decoder
/// only finds out while reading — any writer union for any reader, enum symbols the reader lacks — and misses
/// string ↔ bytes.
/// </summary>
internal sealed class AvroResolution
{
    // Pairs being checked or checked: a recursive type meets its own pair again and counts as readable there, as in
    // Avro's checker (if anything else differs, that part reports it).
    private readonly Dictionary<(Schema Reader, Schema Writer), bool> _checked = new(PairComparer.Instance);
    private readonly Dictionary<NamedSchema, IReadOnlySet<string>> _aliases = new(ReferenceEqualityComparer.Instance);

    private AvroResolution()
    {
    }

    /// <summary>Why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<string> Problems(Schema reader, Schema writer)
    {
        var problems = new List<string>();
        new AvroResolution().Check(reader, writer, string.Empty, problems);
        return problems;
    }

    private bool Check(Schema reader, Schema writer, string path, List<string> problems)
    {
        reader = reader is LogicalSchema readerLogical ? readerLogical.BaseSchema : reader;
        writer = writer is LogicalSchema writerLogical ? writerLogical.BaseSchema : writer;
        if (_checked.TryGetValue((reader, writer), out var known))
        {
            if (!known)
            {
                problems.Add($"{At(path)}: the {Describe(writer)} written cannot be read as {Describe(reader)}");
            }

            return known;
        }

        _checked[(reader, writer)] = true;
        var before = problems.Count;
        CheckPair(reader, writer, path, problems);
        var readable = problems.Count == before;
        _checked[(reader, writer)] = readable;
        return readable;
    }

    private void CheckPair(Schema reader, Schema writer, string path, List<string> problems)
    {
        if (writer is UnionSchema writerUnion)
        {
            for (var i = 0; i < writerUnion.Count; i++)
            {
                Check(reader, writerUnion[i], $"{path}/{i}", problems);
            }

            return;
        }

        if (reader is UnionSchema readerUnion)
        {
            // A branch that reads the writer's type decides; the problems of the branches tried are not the answer.
            if (!readerUnion.Schemas.Any(branch => Check(branch, writer, path, [])))
            {
                problems.Add($"{At(path)}: the reader's union {Describe(reader)} has no branch for the {Describe(writer)} written");
            }

            return;
        }

        if (Kind(reader) != Kind(writer))
        {
            if (!Promotes(writer.Tag, reader.Tag))
            {
                problems.Add($"{At(path)}: the {Describe(writer)} written cannot be read as {Describe(reader)}");
            }

            return;
        }

        switch (reader)
        {
            case RecordSchema readerRecord:
                CheckName(readerRecord, (NamedSchema)writer, path, problems);
                CheckFields(readerRecord, (RecordSchema)writer, path, problems);
                break;
            case EnumSchema readerEnum:
                CheckName(readerEnum, (NamedSchema)writer, path, problems);
                var missing = ((EnumSchema)writer).Symbols.Except(readerEnum.Symbols, StringComparer.Ordinal).ToList();
                if (missing.Count > 0 && readerEnum.Default is null)
                {
                    problems.Add($"{At(path)}: the reader's enum {readerEnum.Fullname} lacks the writer's symbols [{string.Join(", ", missing)}] and has no default");
                }

                break;
            case FixedSchema readerFixed:
                CheckName(readerFixed, (NamedSchema)writer, path, problems);
                if (readerFixed.Size != ((FixedSchema)writer).Size)
                {
                    problems.Add($"{At(path)}: fixed {readerFixed.Fullname} has size {readerFixed.Size} in the reader, {((FixedSchema)writer).Size} in the writer");
                }

                break;
            case ArraySchema readerArray:
                Check(readerArray.ItemSchema, ((ArraySchema)writer).ItemSchema, $"{path}/items", problems);
                break;
            case MapSchema readerMap:
                Check(readerMap.ValueSchema, ((MapSchema)writer).ValueSchema, $"{path}/values", problems);
                break;
        }
    }

    private void CheckFields(RecordSchema reader, RecordSchema writer, string path, List<string> problems)
    {
        for (var i = 0; i < reader.Fields.Count; i++)
        {
            var field = reader.Fields[i];
            var written = writer.TryGetField(field.Name, out var byName) ? byName
                : field.Aliases?.Select(alias => writer.TryGetField(alias, out var byAlias) ? byAlias : null).FirstOrDefault(f => f is not null);
            if (written is null)
            {
                if (field.DefaultValue is null)
                {
                    problems.Add($"{At($"{path}/fields/{i}")}: the reader's field '{field.Name}' of {reader.Fullname} is missing in the writer's schema and has no default");
                }

                continue;
            }

            Check(field.Schema, written.Schema, $"{path}/fields/{i}", problems);
        }
    }

    private void CheckName(NamedSchema reader, NamedSchema writer, string path, List<string> problems)
    {
        if (!string.Equals(reader.Name, writer.Name, StringComparison.Ordinal) && !Aliases(reader).Contains(writer.Fullname))
        {
            problems.Add($"{At(path)}: the writer's {writer.Fullname} is not the reader's {reader.Fullname} (names differ, no alias)");
        }
    }

    // Apache.Avro keeps a named schema's aliases to itself; its rendering of the schema carries them (relative names are
    // in the schema's own namespace).
    private IReadOnlySet<string> Aliases(NamedSchema schema)
    {
        if (_aliases.TryGetValue(schema, out var known))
        {
            return known;
        }

        var aliases = new HashSet<string>(StringComparer.Ordinal);
        using (var json = JsonDocument.Parse(schema.ToString()))
        {
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("aliases", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var alias in list.EnumerateArray().Select(a => a.GetString()).OfType<string>())
                {
                    aliases.Add(alias.Contains('.', StringComparison.Ordinal) || string.IsNullOrEmpty(schema.Namespace) ? alias : $"{schema.Namespace}.{alias}");
                }
            }
        }

        _aliases[schema] = aliases;
        return aliases;
    }

    private static bool Promotes(Schema.Type writer, Schema.Type reader) => (writer, reader) switch
    {
        (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double) => true,
        (Schema.Type.Float, Schema.Type.Double) => true,
        (Schema.Type.String, Schema.Type.Bytes) or (Schema.Type.Bytes, Schema.Type.String) => true,
        _ => false,
    };

    // An error is a record as far as resolution goes.
    private static Schema.Type Kind(Schema schema) => schema.Tag == Schema.Type.Error ? Schema.Type.Record : schema.Tag;

    private static string Describe(Schema schema) => schema is NamedSchema named ? $"{schema.Tag.ToString().ToLowerInvariant()} {named.Fullname}" : schema.Tag.ToString().ToLowerInvariant();

    private static string At(string path) => path.Length == 0 ? "/" : path;

    private sealed class PairComparer : IEqualityComparer<(Schema Reader, Schema Writer)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((Schema Reader, Schema Writer) x, (Schema Reader, Schema Writer) y) =>
            ReferenceEquals(x.Reader, y.Reader) && ReferenceEquals(x.Writer, y.Writer);

        public int GetHashCode((Schema Reader, Schema Writer) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Reader), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Writer));
    }
}
