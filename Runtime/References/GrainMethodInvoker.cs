namespace InventoryOrleans.Runtime;

/// <summary>Delivers calls of one grain interface method; built once per method when the runtime starts.</summary>
internal abstract class GrainMethodInvoker
{
    /// <summary>Delivers the call and returns what the interface method returns (Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;).</summary>
    public abstract object Invoke(GrainReference reference, object?[] args);
}
