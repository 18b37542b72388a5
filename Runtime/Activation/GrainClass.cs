using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace InventoryOrleans.Runtime;

/// <summary>
/// One grain class in one runtime: its activations by key (the local directory) and how to construct it — constructor
/// injection from the runtime's services, with each <see cref="IPersistentState{TState}"/> parameter created for this key.
/// </summary>
internal sealed class GrainClass
{
    private static readonly MethodInfo CreateStateMethod = typeof(GrainClass).GetMethod(nameof(CreateState), BindingFlags.NonPublic | BindingFlags.Static)!;
    private readonly ConstructorInfo _constructor;
    private readonly Func<GrainRuntime, string, object?>[] _arguments;

    public GrainClass(Type grainClass, string grainType, ActivationGauge gauge)
    {
        Type = grainClass;
        GrainType = grainType;
        Gauge = gauge;
        _constructor = grainClass.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Grain class {grainClass.Name} has no public constructor; give it one.");
        _arguments = [.. _constructor.GetParameters().Select(ArgumentFor)];
    }

    public Type Type { get; }

    public string GrainType { get; }

    public ActivationGauge Gauge { get; }

    public ConcurrentDictionary<string, GrainActivation> Activations { get; } = new(StringComparer.Ordinal);

    /// <summary>Leaves the directory, only if the entry is still this activation.</summary>
    public void Remove(GrainActivation activation) =>
        Activations.TryRemove(new KeyValuePair<string, GrainActivation>(activation.Key, activation));

    /// <summary>Constructs the grain for <paramref name="key"/>; the returned states still have to be loaded.</summary>
    public (Grain Grain, IReadOnlyList<IPersistentStateLoader> States) Create(GrainRuntime runtime, string key)
    {
        var values = new object?[_arguments.Length];
        var states = new List<IPersistentStateLoader>();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _arguments[i](runtime, key);
            if (values[i] is IPersistentStateLoader state)
            {
                states.Add(state);
            }
        }

        try
        {
            return ((Grain)_constructor.Invoke(values), states);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
    }

    private static PersistentState<TState> CreateState<TState>(GrainRuntime runtime, string grainType, string key, string stateName)
        where TState : new() =>
        new(runtime.Storage, runtime.Serializer, grainType, key, stateName);

    private Func<GrainRuntime, string, object?> ArgumentFor(ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        {
            var stateName = parameter.GetCustomAttribute<PersistentStateAttribute>()?.StateName ?? "state";
            var create = CreateStateMethod.MakeGenericMethod(type.GetGenericArguments()[0])
                .CreateDelegate<Func<GrainRuntime, string, string, string, object>>();
            var grainType = GrainType;
            return (runtime, key) => create(runtime, grainType, key, stateName);
        }

        var grainName = Type.Name;
        return (runtime, _) =>
        {
            var service = runtime.Services.GetService(type);
            if (service is not null)
            {
                return service;
            }

            if (parameter.HasDefaultValue)
            {
                return parameter.DefaultValue;
            }

            throw new InvalidOperationException($"Grain {grainName} needs a {type.Name} in its constructor (parameter '{parameter.Name}'), but no such service is registered; register it in the silo's services.");
        };
    }
}
