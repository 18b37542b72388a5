using System.Security.Cryptography;
using System.Text;
using InventoryOrleans.Api.Options;
using Microsoft.Extensions.Options;

namespace InventoryOrleans.Api.Auth;

/// <summary>
/// The configured API keys (<c>Api:Keys</c>), kept as SHA-256 hashes. A candidate is hashed and compared with every
/// key's hash in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/> over fixed-length hashes, no
/// early exit), so timing tells neither a key's characters nor its length nor which key matched.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly byte[][] _hashes;

    public ApiKeyRing(IOptions<ApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hashes = [.. options.Value.KeyList.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
    }

    /// <summary>Whether any key is set: without one, writes and the dashboard are open.</summary>
    public bool Enabled => _hashes.Length > 0;

    /// <summary>Whether <paramref name="candidate"/> is one of the keys.</summary>
    public bool Matches(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), hash);
        var matched = false;
        foreach (var key in _hashes)
        {
            matched |= CryptographicOperations.FixedTimeEquals(key, hash);
        }

        return matched;
    }
}
