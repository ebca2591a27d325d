using System.Reflection;
using System.Reflection.Emit;
using Xunit;

namespace KvmTime.Tests.Architecture;

/// <summary>
/// The pure folders of KvmTime.Core (parsers, planners, scripts) must not reach a target, the file
/// system, processes, sockets or PowerShell: only the Operations layer and the targets do I/O. Read
/// from the built assembly: signatures, fields and every call, field access and type token in the IL.
/// </summary>
public class LayeringTests
{
    private static readonly string[] PureNamespaces =
        ["KvmTime.Linux", "KvmTime.Linux.Boot", "KvmTime.Linux.CpuFrequency", "KvmTime.Linux.TimeSyncConfig", "KvmTime.Linux.KernelLog", "KvmTime.Windows", "KvmTime.Host", "KvmTime.Changes", "KvmTime.Sync", "KvmTime.Metrics", "KvmTime.Health"];

    /// <summary>
    /// The gather protocol and the error type: plain data and text, in the Targets namespace for now
    /// (a namespace move would rewrite the using lines of every parser). Parsers may use these, and
    /// these may use nothing else of Targets.
    /// </summary>
    private static readonly string[] ProtocolTypes =
    [
        "KvmTime.Targets.GatherRequest", "KvmTime.Targets.GatherKey", "KvmTime.Targets.GatherItem", "KvmTime.Targets.GatherItemKind", "KvmTime.Targets.GatherResult",
        "KvmTime.Targets.GatherValue", "KvmTime.Targets.LinuxGatherScript", "KvmTime.Targets.ShellQuote", "KvmTime.Targets.KvmTimeException",
        "KvmTime.Targets.FailureKind", "KvmTime.Targets.ErrorIds", "KvmTime.Targets.CommandResult",
        // Pure helpers every parser uses: JSON of a foreign shape, and range-checked times.
        "KvmTime.Targets.ForeignJson", "KvmTime.Targets.TimeRange",
    ];

    /// <summary>
    /// Known I/O left in a pure folder, each with why: Get-ClocksourceEvent -Path reads local log files
    /// itself (streamed, encoding sniffed) and is being reworked in parallel. The test fails when one
    /// of these no longer does I/O, so the list cannot go stale.
    /// </summary>
    private static readonly string[] KnownExceptions =
    [
        "KvmTime.Linux.KernelLog.ClocksourceEventReader", "KvmTime.Linux.KernelLog.KernelLogFileReader", "KvmTime.Linux.KernelLog.TextEncodingSniffer",
    ];

    private static readonly string[] ForbiddenNamespaces =
        ["KvmTime.Operations", "KvmTime.Targets", "System.Net.Sockets", "System.Management.Automation", "System.Diagnostics"];

    // System.IO types that touch the file system (text readers over strings and paths as text are fine).
    private static readonly string[] ForbiddenIoTypes =
        ["System.IO.File", "System.IO.FileInfo", "System.IO.FileStream", "System.IO.Directory", "System.IO.DirectoryInfo", "System.IO.FileSystemInfo", "System.IO.StreamReader", "System.IO.StreamWriter", "System.IO.RandomAccess"];

    [Fact]
    public void Pure_folders_reference_no_target_io_or_powershell_type()
    {
        var violations = Core.GetTypes()
            .Where(t => (PureNamespaces.Contains(t.Namespace) || ProtocolTypes.Contains(Outermost(t).FullName)) && !KnownExceptions.Contains(Outermost(t).FullName))
            .SelectMany(t => ReferencedTypes(t).Where(Forbidden).Select(r => $"{t.FullName} -> {r.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(violations.Count == 0, "Pure folders reference I/O types:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Every_known_exception_still_does_io()
    {
        foreach (var name in KnownExceptions)
        {
            Assert.Contains(ReferencedTypes(Core.GetType(name, throwOnError: true)!), Forbidden);
        }
    }

    [Fact]
    public void The_scanner_sees_a_target_in_the_operations_layer()
    {
        // The same scan finds ITarget where it belongs, so an empty result above means something.
        var operation = Core.GetType("KvmTime.Operations.CStateLimitOperation", throwOnError: true)!;
        Assert.Contains(ReferencedTypes(operation), t => t.FullName == "KvmTime.Targets.ITarget");
        Assert.Contains(ReferencedTypes(typeof(KvmTime.Targets.LocalTarget)), t => t.FullName == "System.IO.File");
    }

    private static Assembly Core => typeof(KvmTime.Model.ClocksourceInfo).Assembly;

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static bool Forbidden(Type type) =>
        !ProtocolTypes.Contains(Outermost(type).FullName) && ForbiddenNamespaces.Any(n => type.Namespace == n || type.Namespace?.StartsWith(n + ".", StringComparison.Ordinal) == true)
        || ForbiddenIoTypes.Contains(type.FullName);

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            while (t is not null && (t.IsArray || t.IsByRef || t.IsPointer))
            {
                t = t.GetElementType();
            }

            if (t is null || t.IsGenericParameter || !found.Add(t))
            {
                return;
            }

            if (t.IsGenericType)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }

                Add(t.GetGenericTypeDefinition());
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }

        foreach (var field in type.GetFields(all))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            foreach (var local in method.GetMethodBody()?.LocalVariables ?? [])
            {
                Add(local.LocalType);
            }

            foreach (var referenced in IlReferences(method))
            {
                Add(referenced);
            }
        }

        foreach (var nested in type.GetNestedTypes(all))
        {
            foreach (var t in ReferencedTypes(nested))
            {
                Add(t);
            }
        }

        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The declaring and named types of every method, field and type token in a method's IL.</summary>
    private static IEnumerable<Type> IlReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            var operandSize = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var member = Resolve(method.Module, BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                if (member is Type t)
                {
                    yield return t;
                }
                else if (member?.DeclaringType is { } declaring)
                {
                    yield return declaring;
                    if (member is FieldInfo field)
                    {
                        yield return field.FieldType;
                    }
                }
            }

            at += operandSize;
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return module.ResolveMember(token);
        }
    }
}
