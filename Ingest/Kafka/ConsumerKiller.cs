using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace InventoryOrleans.Ingest.Kafka;

/// <summary>
/// Drops a consumer the way a crashed process does: no final commit, no LeaveGroup, so the group notices only by
/// session timeout. Confluent.Kafka's Dispose always leaves the group (rd_kafka_destroy closes the consumer), so this
/// calls librdkafka's <c>rd_kafka_destroy_flags</c> with <c>RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE</c> itself. For tests.
/// </summary>
public static class ConsumerKiller
{
    private const int NoConsumerClose = 0x8;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void DestroyFlags(IntPtr handle, int flags);

    // The bundled librdkafka (librdkafka.redist) ships variants; Confluent.Kafka takes the first that loads (the plain
    // one needs libsasl2, which a fresh machine lacks; the centos8 one is self-contained). Trying them in the same
    // order opens the one already loaded, and dlopen of a loaded library returns its handle.
    private static IntPtr LoadedLibrdkafka()
    {
        var folder = Path.GetDirectoryName(typeof(Library).Assembly.Location) ?? AppContext.BaseDirectory;
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (var name in new[] { "librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so" })
        {
            if (NativeLibrary.TryLoad(Path.Combine(folder, "runtimes", rid, "native", name), out var handle))
            {
                return handle;
            }
        }

        return NativeLibrary.Load("librdkafka", typeof(Library).Assembly, null);
    }

    /// <summary>Destroys the consumer's librdkafka handle without closing it; the consumer object must not be used afterwards.</summary>
    public static void DestroyWithoutLeaving(IConsumer<byte[], byte[]> consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        var field = consumer.GetType().GetField("kafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka's consumer has no 'kafkaHandle' field; this helper matches Confluent.Kafka 2.16.");
        var handle = (SafeHandle)field.GetValue(consumer)!;
        if (handle.IsInvalid || handle.IsClosed)
        {
            return;
        }

        var library = LoadedLibrdkafka();
        var destroy = Marshal.GetDelegateForFunctionPointer<DestroyFlags>(NativeLibrary.GetExport(library, "rd_kafka_destroy_flags"));
        var raw = handle.DangerousGetHandle();

        // Mark the SafeHandle released first, so neither Dispose nor the finalizer destroys the handle a second time.
        handle.SetHandleAsInvalid();
        destroy(raw, NoConsumerClose);
    }
}
