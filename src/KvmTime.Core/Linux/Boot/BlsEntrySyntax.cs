using System.Globalization;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime.Linux.Boot;

/// <summary>
/// Checks that a Boot Loader Specification entry holds only "key value" lines with the keys the
/// specification and GRUB's BLS support define, so that a pasted prompt or stray text is refused
/// with its line number instead of being carried along.
/// </summary>
internal static class BlsEntrySyntax
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "title", "version", "machine-id", "sort-key", "linux", "initrd", "efi", "options", "devicetree",
        "devicetree-overlay", "architecture", "grub_users", "grub_arg", "grub_class", "id",
    };

    public static void Require(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var content = line.TrimStart(' ', '\t');
            if (content.Length == 0 || content.StartsWith('#'))
            {
                continue;
            }

            var key = content.Split(' ', '\t')[0];
            if (!Keys.Contains(key) || line.Length != content.Length)
            {
                throw new KvmTimeException(ErrorIds.BootConfigNotBlsEntry, FailureKind.InvalidData,
                    string.Format(CultureInfo.InvariantCulture, Messages.BootConfigNotBlsEntry, path, i + 1, line));
            }
        }
    }
}
