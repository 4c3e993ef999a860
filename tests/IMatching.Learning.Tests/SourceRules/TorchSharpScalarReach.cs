using System.Reflection;
using System.Reflection.Emit;

namespace IMatching.Learning.Tests.SourceRules;

/// <summary>
/// Which TorchSharp members turn a number into a native <c>Scalar</c> inside themselves, directly or through the
/// TorchSharp members they call: read from TorchSharp's own IL, so the answer follows the TorchSharp version we run
/// with instead of a hand-kept list (0.107: <c>Tensor + Tensor</c> passes an implicit alpha, <c>BatchNorm.forward</c>
/// counts batches with an implicit 1 in training mode, every optimiser's <c>step</c> builds its coefficients so).
/// Virtual calls inside TorchSharp are followed to the called declaration only; call sites handle dispatch.
/// </summary>
internal sealed class TorchSharpScalarReach
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public
        | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    private static readonly Lazy<TorchSharpScalarReach> Shared = new(() => new TorchSharpScalarReach(typeof(TorchSharp.Scalar).Assembly));

    private readonly HashSet<string> _reaching = [];
    private readonly Dictionary<string, List<MethodBase>> _byKey = [];

    public static TorchSharpScalarReach Instance => Shared.Value;

    private readonly Assembly _torchSharp;

    private TorchSharpScalarReach(Assembly torchSharp)
    {
        _torchSharp = torchSharp;
        var callers = new Dictionary<string, HashSet<string>>();
        var pending = new Queue<string>();
        foreach (var method in DeclaredMethods(torchSharp))
        {
            string key = Key(method);
            if (!_byKey.TryGetValue(key, out var list)) _byKey[key] = list = [];
            list.Add(method);
            foreach (var callee in Callees(method))
            {
                if (IsImplicitScalarConversion(callee))
                {
                    if (_reaching.Add(key)) pending.Enqueue(key);
                    continue;
                }
                string calleeKey = Key(callee);
                if (!callers.TryGetValue(calleeKey, out var set)) callers[calleeKey] = set = [];
                set.Add(key);
            }
        }
        while (pending.Count > 0)
        {
            if (!callers.TryGetValue(pending.Dequeue(), out var set)) continue;
            foreach (var caller in set)
                if (_reaching.Add(caller)) pending.Enqueue(caller);
        }
        if (_reaching.Count == 0) throw new InvalidOperationException("No TorchSharp member converts to Scalar: the IL reader sees nothing.");
    }

    /// <summary>Whether the TorchSharp member with this key converts a number to a Scalar, directly or through its callees.</summary>
    public bool Reaches(string key) => _reaching.Contains(key);

    /// <summary>Whether the key names a TorchSharp member at all (guards the key format against silent mismatches).</summary>
    public bool Knows(string key) => _byKey.ContainsKey(key);

    /// <summary>Whether an override of the keyed virtual member, in a TorchSharp type deriving from the receiver's, reaches one.</summary>
    public bool ReachesInAnyOverride(string receiverType, string key)
    {
        var receiver = _torchSharp.GetType(receiverType);
        string signature = key[key.IndexOf("::", StringComparison.Ordinal)..];
        return receiver is not null && _byKey.Where(kv => kv.Key.EndsWith(signature, StringComparison.Ordinal) && _reaching.Contains(kv.Key))
            .SelectMany(kv => kv.Value)
            .Any(m => m.DeclaringType is { } declaring && receiver.IsAssignableFrom(declaring));
    }

    /// <summary>Whether the TorchSharp type's <c>forward</c> (its own or inherited) reaches one: modules that do so where they run.</summary>
    public bool ForwardReaches(string typeName)
    {
        for (var type = _torchSharp.GetType(typeName); type is not null && type.Assembly == _torchSharp; type = type.BaseType)
        {
            if (type.GetMethods(Declared).Any(m => m.Name == "forward" && _reaching.Contains(Key(m)))) return true;
        }
        return false;
    }

    /// <summary>"Namespace.Outer+Inner::Name(ParamType,...)" as reflection spells it (arrays "T[]", by-ref "T&amp;", generics "List`1").</summary>
    public static string Key(MethodBase method)
    {
        string parameters;
        try
        {
            parameters = string.Join(',', method.GetParameters().Select(p => p.ParameterType.Name));
        }
        catch (FileNotFoundException)
        {
            parameters = "?"; // a signature naming an assembly that is not deployed (e.g. an optional dependency)
        }
        return $"{method.DeclaringType?.FullName?.Split('[')[0]}::{method.Name}({parameters})";
    }

    private static bool IsImplicitScalarConversion(MethodBase method) =>
        method.Name == "op_Implicit" && method.DeclaringType == typeof(TorchSharp.Scalar);

    private static IEnumerable<MethodBase> DeclaredMethods(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.OfType<Type>().ToArray();
        }
        return types.SelectMany(t => t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)));
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value);

    /// <summary>Every method a method's IL calls (call, callvirt, newobj, ldftn: lambdas count as called).</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is FileNotFoundException or TypeLoadException or BadImageFormatException)
        {
            yield break;
        }
        if (il is null) yield break;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[++i]) : il[i];
            i++;
            var op = OpCodesByValue[value];
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try
                {
                    callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                }
                catch (Exception e) when (e is ArgumentException or FileNotFoundException or TypeLoadException or MissingMethodException)
                {
                }
                if (callee is not null) yield return callee;
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }
}
