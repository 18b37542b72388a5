using System.Net.Sockets;
using System.Text;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>
/// A client of a change stream that reads nothing until told to: an HTTP/1.0 request (so the body is not chunked) on
/// a socket with a receive buffer of a couple of kilobytes, so the server's writes block once a little is on its way —
/// a browser tab in the background, a client stuck on something else.
/// </summary>
public sealed class StalledSseReader : IDisposable
{
    private readonly Socket _socket;
    private readonly StringBuilder _received = new();

    private StalledSseReader(Socket socket) => _socket = socket;

    /// <summary>What was read so far (headers and body).</summary>
    public string Received => _received.ToString();

    /// <summary>Whether the server closed (or dropped) the connection.</summary>
    public bool Ended { get; private set; }

    public static async Task<StalledSseReader> OpenAsync(Uri baseAddress, string path)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);

        // Set before connecting: the window it advertises is fixed then.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048 };
        try
        {
            await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {baseAddress.Authority}\r\nAccept: text/event-stream\r\n\r\n"));
            return new StalledSseReader(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads until <paramref name="done"/> holds for what was received, or the connection ends; throws after <paramref name="timeout"/>.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> done, TimeSpan timeout, string because)
    {
        ArgumentNullException.ThrowIfNull(done);
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (!done(Received) && !Ended)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s reading until {because}; the last received: …{Tail(Received)}");
            }
            catch (SocketException)
            {
                // Reset: the server dropped the connection.
                read = 0;
            }

            if (read == 0)
            {
                Ended = true;
                break;
            }

            _received.Append(chars, 0, decoder.GetChars(buffer, 0, read, chars, 0));
        }

        return Received;
    }

    /// <summary>Reads until the connection ends.</summary>
    public Task<string> ReadToEndAsync(TimeSpan timeout) => ReadUntilAsync(_ => false, timeout, "the connection ends");

    private static string Tail(string text) => text.Length <= 300 ? text : text[^300..];

    public void Dispose() => _socket.Dispose();
}
