using System.Net;

namespace InventoryOrleans.Api.Hosting;

/// <summary>One address Kestrel binds, parsed like Kestrel parses <c>--urls</c> (<c>*</c>, <c>+</c>, host names, IPs, <c>unix:</c> sockets).</summary>
public sealed record ListenAddress(string Url, BindingAddress Binding)
{
    /// <summary>Parses <paramref name="url"/>; null with <paramref name="error"/> when it is not a plain-HTTP URL with a port.</summary>
    public static ListenAddress? TryParse(string url, string setting, out string? error)
    {
        if (TryParseAny(url, setting, out error) is not { } address)
        {
            return null;
        }

        if (!string.Equals(address.Binding.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            error = $"{setting} '{url}' is not http://: the API serves plain HTTP; terminate TLS in front of it (a reverse proxy or ingress).";
            return null;
        }

        if (!address.Binding.IsUnixPipe && address.Binding.Port < 0)
        {
            error = $"{setting} '{url}' has no port: give one, e.g. http://127.0.0.1:5000.";
            return null;
        }

        return address;
    }

    /// <summary>
    /// Parses any URL Kestrel accepts for an endpoint it binds itself (<c>Kestrel:Endpoints</c>: https with its own
    /// certificate, the scheme's default port); null with <paramref name="error"/> when it is not one.
    /// </summary>
    public static ListenAddress? TryParseAny(string? url, string setting, out string? error)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            error = $"{setting} is not set: give the endpoint a URL such as http://127.0.0.1:5002, or remove the endpoint.";
            return null;
        }

        try
        {
            error = null;
            return new ListenAddress(url, BindingAddress.Parse(url));
        }
        catch (FormatException e)
        {
            error = $"{setting} '{url}' is not a URL such as http://127.0.0.1:5000 ({e.Message}).";
            return null;
        }
    }

    /// <summary>
    /// Reachable from this machine only: <c>localhost</c>, 127.0.0.0/8, <c>[::1]</c>, or a unix socket. Wildcards
    /// (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and other host names or addresses are not.
    /// </summary>
    public bool IsLoopback =>
        Binding.IsUnixPipe
        || string.Equals(Binding.Host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Binding.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
