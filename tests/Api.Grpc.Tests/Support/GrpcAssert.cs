using Grpc.Core;

namespace InventoryOrleans.Api.Grpc.Tests.Support;

/// <summary>Assertions on gRPC calls.</summary>
public static class GrpcAssert
{
    /// <summary>The call fails with <paramref name="code"/>; returns the exception for further checks.</summary>
    public static async Task<RpcException> FailsAsync(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == e.StatusCode, $"expected {code}, got {e.StatusCode}: {e.Status.Detail}");
        return e;
    }

    /// <summary>A deadline for one call of a test: generous, so a loaded machine is slow rather than failing.</summary>
    public static DateTime Deadline(int seconds = 30) => DateTime.UtcNow.AddSeconds(seconds);
}
