using System.Net;

namespace InventoryOrleans.Api.Hosting;

/// <summary>One address Kestrel binds, parsed like Kestrel parses <c>--urls</c> (<c>*</c>, <c>+</c>, host names, IPs, <c>unix:</c> sockets).</summary>
public sealed record ListenAddress(string Url, BindingAddress Binding)
{
    /// <summary>Parses <paramref name="url"/>; null with <paramref name="error"/> when it is not a plain-HTTP URL with a port.</summary>
    public static ListenAddress? TryParse(string url, string setting, out string? error)
    {
        ArgumentNullException.ThrowIfNull(url);
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(url);
        }
        catch (FormatException e)
        {
            error = $"{setting} '{url}' is not a URL such as http://127.0.0.1:5000 ({e.Message}).";
            return null;
        }

        if (!string.Equals(binding.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            error = $"{setting} '{url}' is not http://: the API serves plain HTTP; terminate TLS in front of it (a reverse proxy or ingress).";
            return null;
        }

        if (!binding.IsUnixPipe && binding.Port < 0)
        {
            error = $"{setting} '{url}' has no port: give one, e.g. http://127.0.0.1:5000.";
            return null;
        }

        error = null;
        return new ListenAddress(url, binding);
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
