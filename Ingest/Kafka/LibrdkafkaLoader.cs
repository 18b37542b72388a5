using System.Reflection;
using System.Runtime.InteropServices;

namespace InventoryOrleans.Ingest.Kafka;

/// <summary>Points Confluent.Kafka at the system's librdkafka (Debian's librdkafka1), since librdkafka.redist is not in the feed.</summary>
public static class LibrdkafkaLoader
{
    private static readonly string[] Candidates = ["librdkafka.so.1", "librdkafka.so", "librdkafka.dylib", "librdkafka"];
    private static int _registered;

    /// <summary>Registers the resolver once per process; safe to call from every entry point and test fixture.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        NativeLibrary.SetDllImportResolver(typeof(Confluent.Kafka.Library).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.Contains("rdkafka", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            "librdkafka was not found. Install it with 'apt-get install -y librdkafka1' (Debian) or your platform's librdkafka package.");
    }
}
