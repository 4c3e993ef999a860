using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IMatching.Learning.Tests.SourceRules;

/// <summary>
/// Finds every implicit conversion to TorchSharp's <c>Scalar</c> in C# sources (e.g. <c>t.div(255f)</c>), and every
/// use of a TorchSharp member that converts inside itself (<c>t * 0.5</c>, <c>a + b</c>: <see cref="TorchSharpScalarReach"/>).
/// TorchSharp allocates a native scalar for each and leaves it to the finalizer, which may free it while the native
/// call still reads it: the long-run "Unknown scalar type" crash. Sources are compiled with Roslyn against the
/// assemblies this test runs with, so the check sees real types, not text patterns.
/// </summary>
internal static class ImplicitScalarScanner
{
    private static readonly string[] GlobalUsings =
        ["System", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading", "System.Threading.Tasks", "System.Net.Http"];

    /// <summary>"file:line: expression" for each implicit conversion to Scalar in <paramref name="sources"/> (path, text).</summary>
    public static IReadOnlyList<string> Scan(IEnumerable<(string Path, string Text)> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var usings = CSharpSyntaxTree.ParseText(string.Concat(GlobalUsings.Select(u => $"global using global::{u};\n")), parse);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToList();
        var compilation = CSharpCompilation.Create("scan", [usings, .. trees], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        var scalar = compilation.GetTypeByMetadataName("TorchSharp.Scalar")
            ?? throw new InvalidOperationException("TorchSharp.Scalar is not among the references: the scan would see nothing.");
        var found = new List<string>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
            {
                if (ReachesInsideTorchSharp(model, node))
                {
                    found.Add(Describe(tree, node));
                    continue;
                }
                // The converted type is Scalar while the expression's own type is a number: an implicit user-defined conversion.
                var type = model.GetTypeInfo(node);
                if (!SymbolEqualityComparer.Default.Equals(type.ConvertedType, scalar) || SymbolEqualityComparer.Default.Equals(type.Type, scalar)) continue;
                if (!model.GetConversion(node).IsUserDefined) continue;
                found.Add(Describe(tree, node));
            }
        }
        return found.Distinct().ToList();
    }

    private static string Describe(SyntaxTree tree, SyntaxNode node) =>
        $"{tree.FilePath}:{tree.GetLineSpan(node.Span).StartLinePosition.Line + 1}: {node}";

    /// <summary>
    /// A call, operator or construction of a TorchSharp member that converts a number to a Scalar inside TorchSharp
    /// (<see cref="TorchSharpScalarReach"/>): <c>a + b</c> on tensors, <c>add(t)</c>, <c>square()</c>, optimisers' <c>step</c> (through the
    /// overrides of the receiver's type), and modules whose <c>forward</c> does (<c>BatchNorm2d</c>, <c>ELU</c>) where they
    /// are made.
    /// </summary>
    private static bool ReachesInsideTorchSharp(SemanticModel model, ExpressionSyntax node)
    {
        // A method group passed on (<c>With(value, tensor.add)</c>) is a call made elsewhere: checked as one.
        bool methodGroup = node is MemberAccessExpressionSyntax && !(node.Parent is InvocationExpressionSyntax call && call.Expression == node);
        if (!methodGroup && node is not (InvocationExpressionSyntax or BinaryExpressionSyntax or AssignmentExpressionSyntax or BaseObjectCreationExpressionSyntax)) return false;
        if (model.GetSymbolInfo(node).Symbol is not IMethodSymbol symbol) return false;
        var method = (symbol.ReducedFrom ?? symbol).OriginalDefinition;
        if (method.ContainingAssembly?.Name != "TorchSharp") return false;
        var reach = TorchSharpScalarReach.Instance;
        string key = Key(method);
        if (!reach.Knows(key)) throw new InvalidOperationException($"The scan's key {key} names no TorchSharp member: the key format drifted.");
        if (reach.Reaches(key)) return true;
        if (method.IsVirtual || method.IsAbstract || method.IsOverride)
        {
            if (method.Name is not ("call" or "forward") && reach.ReachesInAnyOverride(MetadataName(method.ContainingType), key)) return true;
        }
        ITypeSymbol? made = method.MethodKind == MethodKind.Constructor ? method.ContainingType : method.ReturnType;
        return made is INamedTypeSymbol { ContainingAssembly.Name: "TorchSharp" } type && reach.ForwardReaches(MetadataName(type));
    }

    /// <summary>The member's key as <see cref="TorchSharpScalarReach.Key"/> spells it from reflection.</summary>
    private static string Key(IMethodSymbol method)
    {
        string name = method.MethodKind switch
        {
            MethodKind.Constructor => ".ctor",
            MethodKind.StaticConstructor => ".cctor",
            _ => method.MetadataName,
        };
        return $"{MetadataName(method.ContainingType)}::{name}({string.Join(',', method.Parameters.Select(ParameterName))})";
    }

    private static string ParameterName(IParameterSymbol parameter) =>
        TypeName(parameter.Type) + (parameter.RefKind == RefKind.None ? "" : "&");

    private static string TypeName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => TypeName(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]",
        IPointerTypeSymbol pointer => TypeName(pointer.PointedAtType) + "*",
        _ => type.MetadataName,
    };

    /// <summary>"Namespace.Outer+Inner`1" as reflection's Type.FullName spells a (generic definition's) name.</summary>
    private static string MetadataName(INamedTypeSymbol type)
    {
        string own = type.MetadataName;
        if (type.ContainingType is { } outer) return MetadataName(outer) + "+" + own;
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + own;
    }

    /// <summary>Everything the test host has loaded or can load: the framework, TorchSharp, OpenCvSharp and the IMatching libraries.</summary>
    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var beside = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(beside)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .Where(IsManagedAssembly)
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
