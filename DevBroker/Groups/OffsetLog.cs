using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Groups;

/// <summary>
/// The durable side of committed offsets: an append-only file of JSON lines, one per commit request, flushed on
/// every append, replayed at start and rewritten from the live state now and then. A line cut short by a crash
/// is dropped on replay; the commit it held was never acknowledged.
/// </summary>
public sealed class OffsetLog : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _path;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private FileStream? _file;

    public OffsetLog(string directory, bool fsync, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "offsets.jsonl");
        _fsync = fsync;
        _logger = logger;
    }

    /// <summary>Records appended since the file was last rewritten.</summary>
    public int RecordsSinceRewrite { get; private set; }

    public string FilePath => _path;

    /// <summary>Reads every whole record in the file, in order.</summary>
    public IReadOnlyList<OffsetLogRecord> ReadAll()
    {
        var records = new List<OffsetLogRecord>();
        if (!File.Exists(_path))
        {
            return records;
        }

        var line = 0;
        foreach (var text in File.ReadLines(_path, Encoding.UTF8))
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                records.Add(JsonSerializer.Deserialize<OffsetLogRecord>(text, Json) ?? throw new JsonException("null record"));
            }
            catch (JsonException)
            {
                GroupLog.OffsetsLogTruncated(_logger, _path, line);
                break;
            }
        }

        return records;
    }

    public void Append(OffsetLogRecord record)
    {
        var file = _file ?? throw new IOException($"The offsets log {_path} is not open (its last rewrite failed).");
        file.Write(Serialize(record));
        file.Flush(_fsync);
        RecordsSinceRewrite++;
    }

    /// <summary>Replaces the file with the given live state (atomically, by rename) and appends after it from then on.</summary>
    public void Rewrite(IEnumerable<OffsetLogRecord> snapshot)
    {
        _file?.Dispose();
        _file = null;
        var temporary = _path + ".tmp";
        using (var rewritten = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var record in snapshot)
            {
                rewritten.Write(Serialize(record));
            }

            rewritten.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        RecordsSinceRewrite = 0;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private static byte[] Serialize(OffsetLogRecord record)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
