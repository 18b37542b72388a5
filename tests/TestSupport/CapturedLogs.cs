using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.TestSupport;

/// <summary>
/// A logger provider that keeps what a host logged (after the host's level filters), with each entry's structured
/// values, so a test can assert the log lines an operator would read. Keeps the last few thousand entries.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private const int Kept = 5_000;
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(CapturedLog entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Kept && _entries.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner.Add(new CapturedLog(category, logLevel, formatter(state, exception), values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)));
        }
    }
}

/// <summary>One captured log entry: category, level, the formatted message and its named values.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values);
