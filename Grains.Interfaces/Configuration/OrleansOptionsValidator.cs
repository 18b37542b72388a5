using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Grains.Interfaces.Configuration;

/// <summary>Checks <see cref="OrleansOptions"/> at start; every message says which setting to change.</summary>
public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClusterId))
        {
            errors.Add("Orleans:ClusterId is empty: set Orleans__ClusterId (default inventory); silos and Api hosts of one deployment share it.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceId))
        {
            errors.Add("Orleans:ServiceId is empty: set Orleans__ServiceId (default inventory-orleans); it must stay the same across deployments.");
        }

        if (options.SiloPort is < 1 or > 65535)
        {
            errors.Add($"Orleans:SiloPort {options.SiloPort} is not a port: set Orleans__SiloPort to 1-65535 (default 11111).");
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            errors.Add($"Orleans:GatewayPort {options.GatewayPort} is not a port: set Orleans__GatewayPort to 1-65535 (default 30000).");
        }

        if (options.SiloPort == options.GatewayPort)
        {
            errors.Add($"Orleans:SiloPort and Orleans:GatewayPort are both {options.SiloPort}: give them different ports.");
        }

        if (string.IsNullOrWhiteSpace(options.AdvertisedIP))
        {
            errors.Add("Orleans:AdvertisedIP is empty: set Orleans__AdvertisedIP to an IP address or host name other silos can reach (default 127.0.0.1).");
        }
        else if (!IPAddress.TryParse(options.AdvertisedIP, out _))
        {
            try
            {
                if (Dns.GetHostAddresses(options.AdvertisedIP).Length == 0)
                {
                    errors.Add($"Orleans:AdvertisedIP '{options.AdvertisedIP}' resolves to no address: set Orleans__AdvertisedIP to an IP address or a resolvable host name.");
                }
            }
            catch (SocketException e)
            {
                errors.Add($"Orleans:AdvertisedIP '{options.AdvertisedIP}' does not resolve ({e.Message}): set Orleans__AdvertisedIP to an IP address or a resolvable host name.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The address to advertise: the IP itself, or the host name's first IPv4 (else first) address.</summary>
    public static IPAddress Resolve(string advertised)
    {
        if (IPAddress.TryParse(advertised, out var ip))
        {
            return ip;
        }

        var addresses = Dns.GetHostAddresses(advertised);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }
}
