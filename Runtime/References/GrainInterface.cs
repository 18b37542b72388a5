using System.Linq.Expressions;
using System.Reflection;

namespace InventoryOrleans.Runtime;

/// <summary>
/// A grain interface bound to its grain class in one runtime: one compiled invoker per method (no reflection per call).
/// Every method must return Task, Task&lt;T&gt;, ValueTask or ValueTask&lt;T&gt;, checked when the runtime is built.
/// </summary>
internal sealed class GrainInterface
{
    private readonly Func<GrainReference> _createReference;

    public GrainInterface(GrainRuntime runtime, GrainProxyEmitter emitter, Type grainInterface, GrainClass grainClass)
    {
        Type = grainInterface;
        GrainClass = grainClass;
        var methods = grainInterface.GetMethods().Concat(grainInterface.GetInterfaces().SelectMany(i => i.GetMethods())).Distinct().ToList();
        var overloaded = methods.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        Invokers = [.. methods.Select(m => CreateInvoker(runtime, m, overloaded.Contains(m.Name)))];
        var proxyType = emitter.Emit(grainInterface, methods);
        _createReference = Expression.Lambda<Func<GrainReference>>(Expression.New(proxyType)).Compile();
    }

    public Type Type { get; }

    public GrainClass GrainClass { get; }

    /// <summary>Invoker of method number i of the emitted proxy.</summary>
    public GrainMethodInvoker[] Invokers { get; }

    public GrainReference CreateReference(string key)
    {
        var reference = _createReference();
        reference.Bind(this, key);
        return reference;
    }

    private GrainMethodInvoker CreateInvoker(GrainRuntime runtime, MethodInfo method, bool overloaded)
    {
        if (method.IsGenericMethodDefinition)
        {
            throw new NotSupportedException($"Grain interface method {Type.Name}.{method.Name} is generic; grain methods must not be generic.");
        }

        var (shape, resultType) = ShapeOf(method);
        var grain = Expression.Parameter(typeof(Grain), "grain");
        var args = Expression.Parameter(typeof(object[]), "args");
        var parameters = method.GetParameters();
        var arguments = parameters.Select((p, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        Expression body = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, arguments);
        if (shape is ReturnShape.ValueTask or ReturnShape.ValueTaskOfT)
        {
            body = Expression.Call(body, body.Type.GetMethod(nameof(ValueTask.AsTask))!);
        }

        if (shape is ReturnShape.Task or ReturnShape.ValueTask)
        {
            body = Expression.Call(typeof(VoidResult).GetMethod(nameof(VoidResult.FromTask))!, body);
        }

        var delegateType = typeof(Func<,,>).MakeGenericType(typeof(Grain), typeof(object[]), typeof(Task<>).MakeGenericType(resultType));
        var call = Expression.Lambda(delegateType, body, grain, args).Compile();
        var name = overloaded ? $"{method.Name}({string.Join(",", parameters.Select(p => p.ParameterType.Name))})" : method.Name;
        var invokerType = typeof(GrainMethodInvoker<>).MakeGenericType(resultType);
        return (GrainMethodInvoker)Activator.CreateInstance(invokerType, runtime, GrainClass, name, shape, call)!;
    }

    private (ReturnShape Shape, Type Result) ShapeOf(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task))
        {
            return (ReturnShape.Task, typeof(VoidResult));
        }

        if (type == typeof(ValueTask))
        {
            return (ReturnShape.ValueTask, typeof(VoidResult));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (ReturnShape.TaskOfT, type.GetGenericArguments()[0]);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return (ReturnShape.ValueTaskOfT, type.GetGenericArguments()[0]);
        }

        throw new NotSupportedException(
            $"Grain interface method {Type.Name}.{method.Name} returns {type.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>.");
    }
}
