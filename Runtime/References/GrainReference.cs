namespace InventoryOrleans.Runtime;

/// <summary>
/// Base of the objects <see cref="IGrainFactory.GetGrain{TGrainInterface}"/> hands out. The runtime emits one subclass per grain
/// interface (see <see cref="GrainProxyEmitter"/>) whose methods pack their arguments and call <see cref="Invoke"/>; that goes
/// straight to the method's precompiled invoker. Holds only the key; cheap to create.
/// </summary>
public abstract class GrainReference
{
    private GrainInterface? _interface;
    private string _key = string.Empty;

    /// <summary>The grain's key.</summary>
    public string Key => _key;

    /// <summary>The grain type name the calls go to.</summary>
    public string GrainType => _interface?.GrainClass.GrainType ?? string.Empty;

    public override string ToString() => $"GrainReference({GrainType}/{_key})";

    /// <summary>The activation this reference last called; looked up again once it is gone. Saves a directory lookup per call.</summary>
    internal GrainActivation? Activation { get; set; }

    /// <summary>The interface binding this reference was made for.</summary>
    internal GrainInterface? Interface => _interface;

    internal void Bind(GrainInterface grainInterface, string key)
    {
        _interface = grainInterface;
        _key = key;
    }

    /// <summary>Called by the emitted interface methods: delivers method number <paramref name="method"/> with its arguments.</summary>
    protected object Invoke(int method, object?[] args) => _interface!.Invokers[method].Invoke(this, args);
}
