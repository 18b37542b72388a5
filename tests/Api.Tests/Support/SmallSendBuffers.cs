using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Api.Tests.Support;

/// <summary>
/// Kestrel's connections with a send buffer of a few kilobytes, as over a real network, where what is on its way is
/// bounded by the link. On loopback Linux sizes a socket's send buffer from its 64 KiB segments and lets megabytes
/// wait in the kernel, so a client that reads nothing would block the server's writes only after those.
/// </summary>
public static class SmallSendBuffers
{
    public static void Configure(IServiceCollection services) => services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = endpoint =>
    {
        var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);

        // Set on the listening socket, inherited by every connection it accepts (and no longer grown by the kernel).
        socket.SendBufferSize = 4096;
        return socket;
    });
}
