using Xunit;

namespace KvmTime.Tests.Architecture;

/// <summary>The repository's source files, found from the test assembly upwards, for tests that read source text.</summary>
internal static class SourceTree
{
    public static string Src
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KvmTime.sln")))
            {
                directory = directory.Parent;
            }

            Assert.NotNull(directory);
            return Path.Combine(directory!.FullName, "src");
        }
    }

    /// <summary>The C# files under <paramref name="folder"/> (relative to src/), build output excluded.</summary>
    public static List<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Src, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
}
