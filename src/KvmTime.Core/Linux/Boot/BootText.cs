using System.Globalization;
using KvmTime.Resources;
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
                string.Format(CultureInfo.InvariantCulture, Messages.BootConfigNotUtf8, file.Path));
        }

        return text;
    }
}
