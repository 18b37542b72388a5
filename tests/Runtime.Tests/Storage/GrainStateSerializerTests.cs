using System.Text;

namespace InventoryOrleans.Runtime.Tests.Storage;

public sealed class GrainStateSerializerTests
{
    [Fact]
    public void Deserialize_RecordOfSegmentedState_RestoresHeadWithItsSegments()
    {
        var serializer = new GrainStateSerializer();
        var record = new GrainStateRecord(Encoding.UTF8.GetBytes("""{"name":"head"}"""), "3")
        {
            Segments = [new StateSegment(4, [1]), new StateSegment(5, [2])],
        };

        var state = serializer.Deserialize<SegmentedProbe>(record);

        Assert.Equal("head", state.Name);
        Assert.Equal([4L, 5L], state.Restored!.Select(s => s.Id));
    }

    [Fact]
    public void Deserialize_RecordWithoutData_NewStateNotRestored()
    {
        var state = new GrainStateSerializer().Deserialize<SegmentedProbe>(GrainStateRecord.None);

        Assert.Null(state.Name);
        Assert.Null(state.Restored);
    }

    public sealed class SegmentedProbe : ISegmentedState
    {
        public string? Name { get; set; }

        internal IReadOnlyList<StateSegment>? Restored { get; private set; }

        public StateSegmentChanges GetUnsavedSegmentChanges() => StateSegmentChanges.None;

        public void MarkSegmentChangesSaved(StateSegmentChanges saved)
        {
        }

        public void RestoreSegments(IReadOnlyList<StateSegment> segments) => Restored = segments;
    }
}
