using System.Reflection;
using System.Reflection.Emit;

namespace InventoryOrleans.Runtime;

/// <summary>
/// Emits, per grain interface, a <see cref="GrainReference"/> subclass that implements the interface: method number i boxes its
/// arguments into an array and calls <c>Invoke(i, args)</c>. Faster than <c>DispatchProxy</c>, which resolves the MethodInfo on
/// every call. One dynamic assembly per runtime, so runtimes share nothing.
/// </summary>
internal sealed class GrainProxyEmitter
{
    private static readonly MethodInfo InvokeMethod =
        typeof(GrainReference).GetMethod("Invoke", BindingFlags.Instance | BindingFlags.NonPublic)!;

    private static readonly ConstructorInfo BaseConstructor =
        typeof(GrainReference).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes)!;

    private static readonly MethodInfo EmptyArguments = typeof(Array).GetMethod(nameof(Array.Empty))!.MakeGenericMethod(typeof(object));

    private readonly Lock _gate = new();
    private readonly ModuleBuilder _module;
    private int _count;

    public GrainProxyEmitter()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName($"InventoryOrleans.GrainProxies.{Guid.NewGuid():N}"), AssemblyBuilderAccess.Run);
        _module = assembly.DefineDynamicModule("GrainProxies");
    }

    /// <summary>Builds the proxy type of <paramref name="grainInterface"/>; <paramref name="methods"/>[i] becomes method number i.</summary>
    public Type Emit(Type grainInterface, IReadOnlyList<MethodInfo> methods)
    {
        if (!grainInterface.IsVisible)
        {
            throw new NotSupportedException($"Grain interface {grainInterface.FullName} must be public (the runtime implements it in a generated assembly).");
        }

        lock (_gate)
        {
            var type = _module.DefineType(
                $"{grainInterface.Name}Reference{_count++}",
                TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class,
                typeof(GrainReference));
            type.AddInterfaceImplementation(grainInterface);
            foreach (var inherited in grainInterface.GetInterfaces())
            {
                type.AddInterfaceImplementation(inherited);
            }

            var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, Type.EmptyTypes);
            var ctorIl = constructor.GetILGenerator();
            ctorIl.Emit(OpCodes.Ldarg_0);
            ctorIl.Emit(OpCodes.Call, BaseConstructor);
            ctorIl.Emit(OpCodes.Ret);

            for (var i = 0; i < methods.Count; i++)
            {
                EmitMethod(type, methods[i], i);
            }

            return type.CreateType();
        }
    }

    private static void EmitMethod(TypeBuilder type, MethodInfo method, int index)
    {
        var parameters = method.GetParameters();
        if (parameters.Any(p => p.ParameterType.IsByRef))
        {
            throw new NotSupportedException($"Grain interface method {method.DeclaringType?.Name}.{method.Name} has a ref/out parameter; grain calls pass arguments by value.");
        }

        var builder = type.DefineMethod(
            $"{method.DeclaringType!.FullName}.{method.Name}",
            MethodAttributes.Private | MethodAttributes.Virtual | MethodAttributes.Final | MethodAttributes.HideBySig | MethodAttributes.NewSlot,
            method.ReturnType,
            [.. parameters.Select(p => p.ParameterType)]);
        var il = builder.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, index);
        if (parameters.Length == 0)
        {
            il.Emit(OpCodes.Call, EmptyArguments);
        }
        else
        {
            il.Emit(OpCodes.Ldc_I4, parameters.Length);
            il.Emit(OpCodes.Newarr, typeof(object));
        }

        for (var p = 0; p < parameters.Length; p++)
        {
            il.Emit(OpCodes.Dup);
            il.Emit(OpCodes.Ldc_I4, p);
            il.Emit(OpCodes.Ldarg, p + 1);
            if (parameters[p].ParameterType.IsValueType)
            {
                il.Emit(OpCodes.Box, parameters[p].ParameterType);
            }

            il.Emit(OpCodes.Stelem_Ref);
        }

        il.Emit(OpCodes.Call, InvokeMethod);
        il.Emit(method.ReturnType.IsValueType ? OpCodes.Unbox_Any : OpCodes.Castclass, method.ReturnType);
        il.Emit(OpCodes.Ret);
        type.DefineMethodOverride(builder, method);
    }
}
