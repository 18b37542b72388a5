using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Transactions;

/// <summary>
/// The durable side of the transaction coordinator: every change of a transactional id's metadata goes through
/// <see cref="TryStore"/>, appended to the state log before the coordinator acts on it; the log is rewritten from the
/// last record of each id at start and whenever it holds many more records than ids. In memory (no directory) every
/// change is stored at once. Once disposed nothing is stored any more, so no change outlives its log.
/// </summary>
internal sealed class TransactionStore : IDisposable
{
    private readonly Lock _gate = new();
    private readonly int _compactAfterRecords;
    private readonly ILogger _logger;

    // The last stored record of every transactional id: what a rewrite keeps.
    private readonly Dictionary<string, TransactionMetadata> _stored = new(StringComparer.Ordinal);
    private TransactionStateLog? _log;
    private bool _needsRewrite;
    private bool _stopped;

    public TransactionStore(string? directory, bool fsync, int compactAfterRecords, ILogger logger)
    {
        _compactAfterRecords = compactAfterRecords;
        _logger = logger;
        _log = directory is null ? null : new TransactionStateLog(directory, fsync, logger);
    }

    /// <summary>The log file, or null in memory.</summary>
    public string? FilePath => _log?.FilePath;

    /// <summary>Replays the log (the last record of every transactional id) and rewrites it, dropping a torn last line.</summary>
    public IReadOnlyList<TransactionMetadata> Load()
    {
        lock (_gate)
        {
            if (_log is null)
            {
                return [];
            }

            foreach (var record in _log.ReadAll())
            {
                _stored[record.TransactionalId] = record;
            }

            _log.Rewrite(_stored.Values);
            return [.. _stored.Values];
        }
    }

    /// <summary>Stores a transactional id's next metadata; false when the log could not take it (or the store stopped),
    /// and the caller keeps the metadata it had.</summary>
    public bool TryStore(TransactionMetadata next)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            if (_log is not null)
            {
                try
                {
                    // After a failed write the file may end in half a record; rewriting it first keeps every later one readable.
                    if (_needsRewrite || _log.RecordsSinceRewrite > _compactAfterRecords + (2 * _stored.Count))
                    {
                        _log.Rewrite(_stored.Values);
                        _needsRewrite = false;
                    }

                    _log.Append(next);
                }
                catch (IOException exception)
                {
                    _needsRewrite = true;
                    TransactionCoordinatorLog.StateWriteFailed(_logger, _log.FilePath, exception);
                    return false;
                }
            }

            _stored[next.TransactionalId] = next;
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            _log?.Dispose();
            _log = null;
        }
    }
}
