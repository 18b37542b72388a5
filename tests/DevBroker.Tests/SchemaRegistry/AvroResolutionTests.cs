using Avro;
using InventoryOrleans.DevBroker.SchemaRegistry;

namespace InventoryOrleans.DevBroker.Tests.SchemaRegistry;

/// <summary>The Avro schema-resolution rules the registry's compatibility levels rest on, reader against writer.</summary>
public sealed class AvroResolutionTests
{
    [Theory]
    [InlineData("int", "long")]
    [InlineData("int", "float")]
    [InlineData("int", "double")]
    [InlineData("long", "float")]
    [InlineData("long", "double")]
    [InlineData("float", "double")]
    [InlineData("string", "bytes")]
    [InlineData("bytes", "string")]
    [InlineData("boolean", "boolean")]
    public void Problems_WriterPromotesToReader_None(string writer, string reader)
    {
        Assert.Empty(Problems($"\"{reader}\"", $"\"{writer}\""));
    }

    [Theory]
    [InlineData("long", "int")]
    [InlineData("double", "float")]
    [InlineData("string", "int")]
    [InlineData("null", "boolean")]
    [InlineData("bytes", "long")]
    public void Problems_NoPromotion_Reported(string writer, string reader)
    {
        Assert.Single(Problems($"\"{reader}\"", $"\"{writer}\""));
    }

    [Fact]
    public void Problems_ReaderFieldMissingInWriter_NeedsDefault()
    {
        var writer = Record("""{"name":"a","type":"int"}""");

        Assert.Empty(Problems(Record("""{"name":"a","type":"int"},{"name":"b","type":"int","default":0}"""), writer));
        var problem = Assert.Single(Problems(Record("""{"name":"a","type":"int"},{"name":"b","type":"int"}"""), writer));
        Assert.Contains("'b'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_WriterFieldMissingInReader_Skipped()
    {
        Assert.Empty(Problems(Record("""{"name":"a","type":"int"}"""), Record("""{"name":"a","type":"int"},{"name":"z","type":"string"}""")));
    }

    [Fact]
    public void Problems_ReaderFieldAliasNamesWriterField_Read()
    {
        Assert.Empty(Problems(Record("""{"name":"renamed","aliases":["old"],"type":"int"}"""), Record("""{"name":"old","type":"int"}""")));
    }

    [Fact]
    public void Problems_FieldTypesChecked_NestedPathNamed()
    {
        var problem = Assert.Single(Problems(Record("""{"name":"a","type":"int"}"""), Record("""{"name":"a","type":"long"}""")));

        Assert.StartsWith("/fields/0", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_RecordNames_UnqualifiedMustMatchOrReaderAliasHoldsWriterFullName()
    {
        const string writer = """{"type":"record","name":"Old","namespace":"a","fields":[]}""";

        Assert.Empty(Problems("""{"type":"record","name":"Old","namespace":"b","fields":[]}""", writer));
        Assert.Empty(Problems("""{"type":"record","name":"New","namespace":"a","aliases":["Old"],"fields":[]}""", writer));
        Assert.Single(Problems("""{"type":"record","name":"New","namespace":"a","fields":[]}""", writer));
    }

    [Fact]
    public void Problems_EnumWriterSymbolMissingInReader_OnlyWithReaderDefault()
    {
        const string writer = """{"type":"enum","name":"E","symbols":["A","B","C"]}""";

        Assert.Single(Problems("""{"type":"enum","name":"E","symbols":["A","B"]}""", writer));
        Assert.Empty(Problems("""{"type":"enum","name":"E","symbols":["A","B","Unknown"],"default":"Unknown"}""", writer));
        Assert.Empty(Problems(writer, """{"type":"enum","name":"E","symbols":["A"]}"""));
    }

    [Fact]
    public void Problems_InventoryEventTypeEnum_NewSymbolReadByOldReaderThroughItsDefault()
    {
        var reader = Schema.Parse(TestSchemas.InventoryEvent);
        var writer = Schema.Parse(TestSchemas.InventoryEvent.Replace("\"Unknown\"]", "\"Unknown\", \"Recount\"]", StringComparison.Ordinal));

        Assert.Empty(AvroResolution.Problems(reader, writer));
    }

    [Fact]
    public void Problems_Fixed_SizeMustMatch()
    {
        Assert.Empty(Problems("""{"type":"fixed","name":"F","size":4}""", """{"type":"fixed","name":"F","size":4}"""));
        Assert.Single(Problems("""{"type":"fixed","name":"F","size":8}""", """{"type":"fixed","name":"F","size":4}"""));
    }

    [Fact]
    public void Problems_WriterUnion_EveryBranchMustBeReadable()
    {
        Assert.Empty(Problems("""["null","string","long"]""", """["null","int"]"""));
        Assert.Single(Problems("\"string\"", """["null","string"]"""));
        Assert.Empty(Problems("\"long\"", """["int","long"]"""));
    }

    [Fact]
    public void Problems_ReaderUnion_SomeBranchMustReadTheWriter()
    {
        Assert.Empty(Problems("""["null","string"]""", "\"string\""));
        Assert.Empty(Problems("""["null","double"]""", "\"int\""));
        Assert.Single(Problems("""["null","string"]""", "\"int\""));
    }

    [Fact]
    public void Problems_ArraysAndMaps_ItemsAndValuesChecked()
    {
        Assert.Empty(Problems("""{"type":"array","items":"long"}""", """{"type":"array","items":"int"}"""));
        Assert.Single(Problems("""{"type":"map","values":"int"}""", """{"type":"map","values":"long"}"""));
        Assert.Single(Problems("""{"type":"map","values":"int"}""", """{"type":"array","items":"int"}"""));
    }

    [Fact]
    public void Problems_LogicalTypes_ReadAsTheirUnderlyingTypes()
    {
        Assert.Empty(Problems("""{"type":"long","logicalType":"timestamp-millis"}""", "\"long\""));
        Assert.Empty(Problems("\"long\"", """{"type":"int","logicalType":"date"}"""));
    }

    [Fact]
    public void Problems_RecursiveSchemas_Terminate()
    {
        const string list = """{"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"],"default":null}]}""";
        const string wider = """{"type":"record","name":"Node","fields":[{"name":"value","type":"long"},{"name":"next","type":["null","Node"],"default":null}]}""";

        Assert.Empty(Problems(wider, list));
        Assert.NotEmpty(Problems(list, wider));
    }

    [Fact]
    public void ApacheAvroCanRead_IsLaxerThanTheRules_WhyTheRegistryHasItsOwn()
    {
        // Apache.Avro 1.12.2's Schema.CanRead, the decoder's quick check, passes these; resolution fails them.
        var enumWithoutC = Schema.Parse("""{"type":"enum","name":"E","symbols":["A","B"]}""");
        var enumWithC = Schema.Parse("""{"type":"enum","name":"E","symbols":["A","B","C"]}""");
        var intSchema = Schema.Parse("\"int\"");
        var stringOrNull = Schema.Parse("""["null","string"]""");

        Assert.True(enumWithoutC.CanRead(enumWithC));
        Assert.True(intSchema.CanRead(stringOrNull));
        Assert.NotEmpty(AvroResolution.Problems(enumWithoutC, enumWithC));
        Assert.NotEmpty(AvroResolution.Problems(intSchema, stringOrNull));
    }

    private static IReadOnlyList<string> Problems(string reader, string writer) =>
        AvroResolution.Problems(Schema.Parse(reader), Schema.Parse(writer));

    private static string Record(string fields) => TestSchemas.Record(fields);
}
