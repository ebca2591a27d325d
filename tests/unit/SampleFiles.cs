namespace KvmTime.Tests;

/// <summary>Real captured outputs and samples written from the kernel's formats, copied next to the test assembly.</summary>
internal static class SampleFiles
{
    public static string Read(string relativePath) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", relativePath));
}
