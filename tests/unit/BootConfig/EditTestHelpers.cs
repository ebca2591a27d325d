using KvmTime.Linux;
using KvmTime.Linux.Boot;

namespace KvmTime.Tests.BootConfig;

/// <summary>Short ways to write the edits and file sets the editor tests use.</summary>
internal static class EditTestHelpers
{
    public static KernelArgument Arg(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? new KernelArgument(text, null) : new KernelArgument(text[..equals], text[(equals + 1)..]);
    }

    public static KernelArgumentEdit Set(params string[] arguments) => KernelArgumentEdit.Create(arguments.Select(Arg), []);

    public static KernelArgumentEdit Remove(params string[] arguments) => KernelArgumentEdit.Create([], arguments.Select(Arg));

    /// <summary>The new content of the one file <paramref name="text"/>, or the same text when the edit changes nothing.</summary>
    public static string EditGrub(string text, KernelArgumentEdit edit)
    {
        var outcome = GrubDefaultEditor.Edit([new BootFile(GrubDefaultEditor.DefaultPath, text)], edit);
        return outcome.Rewrites.Count == 0 ? text : outcome.Rewrites.Single().NewContent;
    }
}
