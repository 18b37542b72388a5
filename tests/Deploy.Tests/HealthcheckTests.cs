using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using InventoryOrleans.Deploy.Tests.Docker;

namespace InventoryOrleans.Deploy.Tests;

/// <summary>
/// The images' HEALTHCHECK command, run as Docker runs a shell-form one (<c>/bin/sh -c</c>) against a local listener
/// that answers like the host's /healthz: healthy only on a 200 from the port of ASPNETCORE_URLS. (Here on Debian's
/// bash; the images' Ubuntu bash has the same /dev/tcp.)
/// </summary>
public sealed class HealthcheckTests
{
    public static TheoryData<string> Images => ["Silo", "Api"];

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Healthcheck_HostAnswers200_IsHealthyAndAskedForHealthz(string project)
    {
        using var server = new OneAnswerServer("HTTP/1.1 200 OK");

        var result = await RunAsync(project, $"http://0.0.0.0:{server.Port}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GET /healthz HTTP/1.1", await server.RequestLine);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Healthcheck_HostAnswers503_IsUnhealthy(string project)
    {
        using var server = new OneAnswerServer("HTTP/1.1 503 Service Unavailable");

        var result = await RunAsync(project, $"http://0.0.0.0:{server.Port}");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("GET /healthz HTTP/1.1", await server.RequestLine);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Healthcheck_NothingListens_IsUnhealthy(string project)
    {
        int port;
        using (var closed = new TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            port = ((IPEndPoint)closed.LocalEndpoint).Port;
        }

        var result = await RunAsync(project, $"http://0.0.0.0:{port}");

        Assert.NotEqual(0, result.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public async Task Healthcheck_SeveralUrls_AsksTheFirstOnesPort(string project)
    {
        using var server = new OneAnswerServer("HTTP/1.1 200 OK");

        var result = await RunAsync(project, $"http://+:{server.Port};http://[::]:1");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static Task<ProcessResult> RunAsync(string project, string urls)
    {
        var healthcheck = Dockerfile.Load(Repository.PathOf($"{project}/Dockerfile")).Final.Last("HEALTHCHECK")!.Arguments;
        var command = healthcheck[(healthcheck.IndexOf(" CMD ", StringComparison.Ordinal) + " CMD ".Length)..];
        return ProcessRun.RunAsync("/bin/sh", ["-c", command], Repository.Root, new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = urls });
    }

    /// <summary>Accepts one connection on 127.0.0.1, reads its request line and answers with the given status line.</summary>
    private sealed class OneAnswerServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public OneAnswerServer(string statusLine)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            RequestLine = AnswerAsync(statusLine);
        }

        public int Port { get; }

        /// <summary>The request line the client sent.</summary>
        public Task<string?> RequestLine { get; }

        public void Dispose() => _listener.Dispose();

        private async Task<string?> AnswerAsync(string statusLine)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var client = await _listener.AcceptTcpClientAsync(timeout.Token);
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync(timeout.Token);
            while (await reader.ReadLineAsync(timeout.Token) is { Length: > 0 })
            {
                // The rest of the request's headers.
            }

            var body = "{\"status\":\"alive\"}";
            var response = string.Create(
                CultureInfo.InvariantCulture,
                $"{statusLine}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token);
            return requestLine;
        }
    }
}
