using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>
/// The durable side of the transaction coordinator (Kafka's __transaction_state): an append-only file of JSON lines,
/// one <see cref="TransactionMetadata"/> per change, flushed on every append; on replay the last line of each
/// transactional id wins. Rewritten from the live state at start and now and then. A line cut short by a crash is
/// dropped on replay: the change it held was never acknowledged.
/// </summary>
internal sealed class TransactionStateLog : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private FileStream? _file;

    public TransactionStateLog(string directory, bool fsync, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        FilePath = Path.Combine(directory, "transactions.jsonl");
        _fsync = fsync;
        _logger = logger;
    }

    public string FilePath { get; }

    /// <summary>Records appended since the file was last rewritten.</summary>
    public int RecordsSinceRewrite { get; private set; }

    /// <summary>The latest whole record of every transactional id in the file.</summary>
    public IReadOnlyList<TransactionMetadata> ReadAll()
    {
        var latest = new Dictionary<string, TransactionMetadata>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return [];
        }

        var line = 0;
        foreach (var text in File.ReadLines(FilePath, Encoding.UTF8))
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                var record = JsonSerializer.Deserialize<TransactionMetadata>(text, Json) ?? throw new JsonException("null record");
                latest[record.TransactionalId] = record;
            }
            catch (JsonException)
            {
                TransactionCoordinatorLog.StateLogTruncated(_logger, FilePath, line);
                break;
            }
        }

        return [.. latest.Values];
    }

    public void Append(TransactionMetadata record)
    {
        var file = _file ?? throw new IOException($"The transaction state log {FilePath} is not open (its last rewrite failed).");
        file.Write(Serialize(record));
        file.Flush(_fsync);
        RecordsSinceRewrite++;
    }

    /// <summary>Replaces the file with the given records (atomically, by rename) and appends after them from then on.</summary>
    public void Rewrite(IEnumerable<TransactionMetadata> records)
    {
        _file?.Dispose();
        _file = null;
        var temporary = FilePath + ".tmp";
        using (var rewritten = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var record in records)
            {
                rewritten.Write(Serialize(record));
            }

            rewritten.Flush(flushToDisk: true);
        }

        File.Move(temporary, FilePath, overwrite: true);
        _file = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        RecordsSinceRewrite = 0;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private static byte[] Serialize(TransactionMetadata record)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
