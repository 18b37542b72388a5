namespace InventoryOrleans.Runtime;

/// <summary>What a grain interface method returns; the proxy hands the caller that shape.</summary>
internal enum ReturnShape
{
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}
