using System.Text;
using InventoryOrleans.DevBroker.Records;

namespace InventoryOrleans.DevBroker.Tests.Records;

public sealed class Crc32CTests
{
    [Fact]
    public void Compute_StandardCheckValue_MatchesCastagnoli()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void UpdateSoftware_AnyLength_AgreesWithHardwarePath()
    {
        var random = new Random(7);
        for (var length = 0; length < 100; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Crc32C.Compute(data), ~Crc32C.UpdateSoftware(0xFFFFFFFF, data));
        }
    }
}
