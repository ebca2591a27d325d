using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>Guards the text of a boot file before it is edited: only what can be written back byte for byte is edited.</summary>
internal static class BootText
{
    public static string Require(BootFile file)
    {
        var text = file.Content ?? string.Empty;
        if (text.Contains('\uFFFD', StringComparison.Ordinal) || text.Contains('\0', StringComparison.Ordinal))
        {
            throw new KvmTimeException(ErrorIds.BootConfigUnparsable, FailureKind.InvalidData,
                $"{file.Path} is not UTF-8 text, so it could not be written back byte for byte. Check the file; nothing was changed.");
        }

        return text;
    }
}
