using System.Diagnostics.CodeAnalysis;

namespace InventoryOrleans.Grains.Tests.Storage;

/// <summary>A grain state handle as a grain's persistent state hands it to its storage provider.</summary>
internal sealed class TestGrainState<T> : IGrainState<T>
    where T : new()
{
    private T _state = new();

    [AllowNull]
    public T State
    {
        get => _state;
        set => _state = value ?? new();
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
