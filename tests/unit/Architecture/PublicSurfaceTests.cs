using System.Reflection;
using Xunit;

namespace KvmTime.Tests.Architecture;

/// <summary>
/// What a user or another assembly may rely on: the result types (KvmTime.Model), the session a
/// cmdlet hands back, and the enums cmdlet parameters take. Everything else (parsers, planners,
/// operations, targets, the SSH transport) is internal, so it can change without breaking anyone.
/// </summary>
public class PublicSurfaceTests
{
    private static readonly string[] ParameterEnumsAndSession =
    [
        "KvmTime.Targets.KvmTimeSession",
        // Its source is also compiled by Add-Type in a PSSession's pwsh, which calls only public types.
        "KvmTime.Targets.ClockReadLoop",
        "KvmTime.Linux.Boot.BootLoaderKind", "KvmTime.Linux.ChangeScope", "KvmTime.Linux.ClocksourceBootArgument",
        "KvmTime.Linux.GuestSyncMethod", "KvmTime.Linux.ClockRead.ClockReadInterpreter", "KvmTime.Linux.KernelLog.KernelLogSource",
    ];

    [Fact]
    public void Core_exports_only_the_model_the_session_and_parameter_enums()
    {
        var core = typeof(KvmTime.Model.ClocksourceInfo).Assembly;
        var unexpected = core.GetExportedTypes()
            .Where(t => t.Namespace != "KvmTime.Model" && !ParameterEnumsAndSession.Contains(t.FullName))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(unexpected);
        foreach (var name in ParameterEnumsAndSession.Skip(2))
        {
            Assert.True(core.GetType(name, throwOnError: true)!.IsEnum, name);
        }
    }

    [Fact]
    public void Ssh_transport_exports_nothing()
    {
        // Read as metadata only: the transport and SSH.NET stay out of the test's load context.
        var path = Path.Combine(AppContext.BaseDirectory, "KvmTime.Ssh.dll");
        using var file = File.OpenRead(path);
        using var pe = new System.Reflection.PortableExecutable.PEReader(file);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var types = metadata.TypeDefinitions.Select(metadata.GetTypeDefinition).ToList();
        Assert.Contains(types, t => metadata.GetString(t.Name) == "SshTarget");
        var exported = types
            .Where(t => (t.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public)
            .Select(t => metadata.GetString(t.Namespace) + "." + metadata.GetString(t.Name))
            .ToList();
        Assert.Empty(exported);
    }
}
