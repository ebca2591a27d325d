using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace KvmTime;

/// <summary>
/// Loads the SSH transport and its dependencies (SSH.NET, BouncyCastle, ...) from dependencies/
/// into a private AssemblyLoadContext, so another module's Renci.SshNet cannot clash with ours.
/// Only KvmTime.Ssh is resolved from here; it pulls the rest into the private context.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

    private static readonly DependencyLoadContext Context = new(DependencyDirectory);

    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += ResolveTransport;
        Operations.WindowsShell.Local = LocalPowerShell.Instance;
    }

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveTransport;

    private static Assembly? ResolveTransport(AssemblyLoadContext defaultContext, AssemblyName name) =>
        name.Name == "KvmTime.Ssh" && File.Exists(Path.Combine(DependencyDirectory, "KvmTime.Ssh.dll"))
            ? Context.LoadFromAssemblyName(name)
            : null;

    private sealed class DependencyLoadContext(string directory) : AssemblyLoadContext("KvmTime.Dependencies")
    {
        // KvmTime.Core is not in dependencies/, so it falls through to the default context and is shared.
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
