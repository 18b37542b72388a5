using System.Security.Cryptography;

namespace InventoryOrleans.Grains.Storage;

/// <summary>
/// The ETags <see cref="SegmentedRedisGrainStorage"/> writes: 128 random bits per write or clear, made by the writer.
/// A counter kept in the hash (the former <c>HINCRBY etag</c>) repeats after storage goes back (restored from an older
/// append-only file, a failover to a lagging replica): the next writer counts up to values a stale activation still
/// holds, and that activation's write then passes the check over state it never read (ABA). An epoch-qualified counter
/// needs an epoch that storage cannot lose, which this storage is not. A random token repeats with negligible
/// probability (2^-64 after 2^32 writes of one state), needs no coordination between silos and no read before the
/// write, and only equality is ever asked of an ETag.
/// </summary>
internal static class StateETag
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
