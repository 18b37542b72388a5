using System.Buffers.Binary;
using System.Net.Sockets;
using InventoryOrleans.DevBroker.Protocol;

namespace InventoryOrleans.DevBroker.Tests.Support;

/// <summary>A bare TCP connection to the broker for sending hand-made (and broken) requests.</summary>
internal sealed class RawKafkaConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawKafkaConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawKafkaConnection> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port);
        return new RawKafkaConnection(client);
    }

    /// <summary>A whole frame: size, request header v1 (client id "raw") — or v2 (its tagged fields after the client id)
    /// when <paramref name="flexible"/> —, body.</summary>
    public static byte[] Frame(ApiKey key, short version, int correlationId, Action<KafkaWriter>? body = null, bool flexible = false)
    {
        using var writer = new KafkaWriter();
        var sizeAt = writer.ReserveInt32();
        writer.WriteInt16((short)key);
        writer.WriteInt16(version);
        writer.WriteInt32(correlationId);
        writer.WriteNullableString("raw");
        writer.WriteTaggedFields(flexible);
        body?.Invoke(writer);
        writer.PatchInt32(sizeAt, writer.Position - 4);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Bytes the broker sent that this side has not read yet (a client that stalls lets them pile up).</summary>
    public int Available => _client.Available;

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public Task SendAsync(ApiKey key, short version, int correlationId, Action<KafkaWriter>? body = null, bool flexible = false) =>
        SendAsync(Frame(key, version, correlationId, body, flexible));

    /// <summary>Stops sending (the broker sees end of stream) but keeps reading.</summary>
    public void ShutdownSend() => _client.Client.Shutdown(SocketShutdown.Send);

    /// <summary>The next response (correlation id and a reader over the body), or null when the broker closed the connection.</summary>
    public async Task<(int CorrelationId, KafkaReader Body)?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var sizeBytes = new byte[4];
        if (!await ReadExactlyOrEndAsync(sizeBytes, cancel.Token))
        {
            return null;
        }

        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(sizeBytes)];
        if (!await ReadExactlyOrEndAsync(body, cancel.Token))
        {
            return null;
        }

        var reader = new KafkaReader(body);
        return (reader.ReadInt32(), reader);
    }

    /// <summary>True when the broker closes the connection within the timeout (any bytes sent first are skipped).</summary>
    public async Task<bool> IsClosedByBrokerAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (await _stream.ReadAsync(buffer, cancel.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // reset by the broker
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
