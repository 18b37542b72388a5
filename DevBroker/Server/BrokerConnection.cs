using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.Sockets;
using InventoryOrleans.DevBroker.Handlers;
using InventoryOrleans.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.Server;

/// <summary>One client connection: reads size-prefixed frames, answers each request in order, one at a time
/// (Kafka mutes a connection while a request is in flight; long-polling Fetch and JoinGroup rely on it).</summary>
internal sealed partial class BrokerConnection(Socket? socket, ConnectionInfo info, BrokerServices services, ILogger logger)
{
    private const int HeaderMinimumBytes = 8;
    private const int LargeResponseBytes = 256 * 1024;

    public ConnectionInfo Info { get; } = info;

    public void Abort()
    {
        try
        {
            socket?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed by us.
        }
    }

    /// <summary>Serves a plain socket (the default transport).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // This method alone owns the stream (and the socket under it): both pipes leave it open, and it is disposed only
        // after both are complete. PipeReader.Create / PipeWriter.Create would otherwise each dispose it on completion, so
        // completing the reader first left the writer flushing its pending answers into a disposed stream.
        await using var stream = new NetworkStream(socket ?? throw new InvalidOperationException("No socket."), ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        await RunAsync(reader, writer, stream, cancellationToken);
    }

    /// <summary>Serves a connection given as pipes (Kestrel's transport, or a socket's); <paramref name="stream"/>, when
    /// given, receives large responses directly. It never throws: every way a connection ends is handled here.</summary>
    public async Task RunAsync(PipeReader reader, PipeWriter writer, Stream? stream, CancellationToken cancellationToken)
    {
        using var response = new KafkaWriter(64 * 1024);
        Exception? failure = null;
        try
        {
            try
            {
                await ServeAsync(stream, reader, writer, response, cancellationToken);
            }
            catch (KafkaProtocolException ex)
            {
                Log.MalformedRequest(logger, Info.Id, ex.Message);
            }

            // Answers made before a deliberate close (malformed request, bad frame, unknown key) still go out; a failure
            // here is handled like any other, so completing the writer below has nothing left to write.
            await writer.FlushAsync(cancellationToken);
        }
#pragma warning disable CA1031 // A bug in one handler must close this connection, never the broker.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
            LogFailure(ex, cancellationToken);
        }
        finally
        {
            // After a failure (peer gone, broker stopping, handler bug) the unsent answers are dropped: writing them
            // could only fail again, and throwing from here would fault the listener's stop.
            await writer.CompleteAsync(failure);
            await reader.CompleteAsync(failure);
            Log.Closed(logger, Info.Id);
        }
    }

    private void LogFailure(Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                break; // The broker is stopping.
            case IOException or SocketException:
                break; // The peer went away, or the broker shut the socket down while stopping.
            default:
                Log.HandlerFailed(logger, Info.Id, exception);
                break;
        }
    }

    private async Task ServeAsync(Stream? stream, PipeReader reader, PipeWriter writer, KafkaWriter response, CancellationToken cancellationToken)
    {
        var maxFrame = services.Options.MaxFrameBytes;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var unflushed = false;
            while (buffer.Length >= 4)
            {
                var size = ReadInt32(buffer);
                if (size < HeaderMinimumBytes || size > maxFrame)
                {
                    Log.BadFrameSize(logger, Info.Id, size, maxFrame);
                    return;
                }

                if (buffer.Length < 4L + size)
                {
                    break;
                }

                var frame = buffer.Slice(4, size);
                var key = (ApiKey)ReadInt16(frame);

                // A long-polling request may wait; answers already made must not wait behind it.
                if (unflushed && key is ApiKey.Fetch or ApiKey.JoinGroup or ApiKey.SyncGroup)
                {
                    await writer.FlushAsync(cancellationToken);
                    unflushed = false;
                }

                // Produce bodies are large and copied into the log, so their buffer is pooled; other handlers
                // (groups keep member metadata) may keep slices of the body, so they get their own array.
                var pooled = key == ApiKey.Produce;
                var body = pooled ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];
                frame.CopyTo(body);
                buffer = buffer.Slice(4 + size);
                try
                {
                    if (!await ProcessAsync(body.AsMemory(0, size), response, cancellationToken))
                    {
                        return;
                    }
                }
                finally
                {
                    if (pooled)
                    {
                        ArrayPool<byte>.Shared.Return(body);
                    }
                }

                if (stream is not null && response.Position >= LargeResponseBytes)
                {
                    // Big Fetch answers go straight to the socket instead of being copied into the pipe first.
                    if (unflushed)
                    {
                        await writer.FlushAsync(cancellationToken);
                        unflushed = false;
                    }

                    await stream.WriteAsync(response.WrittenMemory, cancellationToken);
                }
                else if (response.Position > 0)
                {
                    writer.Write(response.WrittenSpan);
                    unflushed = true;
                }

                if (writer.UnflushedBytes > 1024 * 1024)
                {
                    await writer.FlushAsync(cancellationToken);
                    unflushed = false;
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (unflushed)
            {
                await writer.FlushAsync(cancellationToken);
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    /// <summary>Handles one request, leaving the response frame (or nothing) in <paramref name="response"/>; false closes
    /// the connection (unknown key, unsupported version, malformed header).</summary>
    private async ValueTask<bool> ProcessAsync(ReadOnlyMemory<byte> body, KafkaWriter response, CancellationToken cancellationToken)
    {
        response.Reset();
        var reader = new KafkaReader(body);
        var header = RequestHeader.Read(reader);
        var handler = services.Handlers.Find(header.ApiKey);
        if (handler is null)
        {
            // Kafka has no error response for a key it does not know; it closes the connection.
            Log.UnknownApiKey(logger, Info.Id, (short)header.ApiKey);
            return false;
        }

        var sizeAt = response.ReserveInt32();
        if (header.ApiVersion < handler.MinVersion || header.ApiVersion > handler.MaxVersion)
        {
            if (header.ApiKey != ApiKey.ApiVersions)
            {
                // The response format of an unknown version is unknown too; Kafka closes the connection.
                Log.UnsupportedVersion(logger, Info.Id, header.ApiKey, header.ApiVersion);
                return false;
            }

            // Neither the rest of the header nor the body is read: their layout in that version is unknown.
            ResponseHeader.Write(response, header.ApiKey, header.CorrelationId, flexible: false);
            ApiVersionsHandler.WriteUnsupportedVersion(response, handler);
        }
        else
        {
            var flexible = header.ApiVersion >= handler.FirstFlexibleVersion;
            RequestHeader.ReadTaggedFields(reader, flexible);
            ResponseHeader.Write(response, header.ApiKey, header.CorrelationId, flexible);
            var context = new RequestContext(header, flexible, reader, Info, services);
            if (!await handler.HandleAsync(context, response, cancellationToken))
            {
                response.Reset();
                return true;
            }
        }

        response.PatchInt32(sizeAt, response.Position - 4);
        return true;
    }

    private static int ReadInt32(ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    private static short ReadInt16(ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[2];
        buffer.Slice(0, 2).CopyTo(bytes);
        return BinaryPrimitives.ReadInt16BigEndian(bytes);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId}: malformed request ({Reason}); closing it")]
        public static partial void MalformedRequest(ILogger logger, long connectionId, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId}: frame of {Size} bytes outside 8..{MaxFrameBytes}; closing it")]
        public static partial void BadFrameSize(ILogger logger, long connectionId, int size, int maxFrameBytes);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId}: unknown API key {ApiKey}; closing it")]
        public static partial void UnknownApiKey(ILogger logger, long connectionId, short apiKey);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId}: {ApiKey} v{Version} is not served; closing it")]
        public static partial void UnsupportedVersion(ILogger logger, long connectionId, ApiKey apiKey, short version);

        [LoggerMessage(Level = LogLevel.Error, Message = "Connection {ConnectionId}: handler failed; closing it")]
        public static partial void HandlerFailed(ILogger logger, long connectionId, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} closed")]
        public static partial void Closed(ILogger logger, long connectionId);
    }
}
