using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace KvmTime.Targets;

/// <summary>
/// One line appended to known_hosts the way OpenSSH appends: open(O_APPEND) and a single write,
/// so the kernel places it at the end even if another process appended a moment ago. .NET's
/// FileMode.Append only seeks to the end once, which could overwrite such a line.
/// </summary>
internal static partial class KnownHostsAppender
{
    private const int LockExclusive = 2;
    private const int LockUnlock = 8;

    public static void AppendLine(string path, string line)
    {
        var bytes = Encoding.UTF8.GetBytes(NeedsLeadingNewline(path) ? "\n" + line : line);
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            using var plain = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            plain.Write(bytes);
            return;
        }

        var flags = OperatingSystem.IsLinux() ? 0x1 | 0x40 | 0x400 | 0x80000 : 0x1 | 0x200 | 0x8 | 0x1000000; // O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC
        var fd = Open(path, flags, Convert.ToInt32("600", 8));
        if (fd < 0)
        {
            throw new IOException($"Cannot open {path} to append a host key (errno {Marshal.GetLastPInvokeError()}).");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        // flock: two KvmTime processes trusting new hosts at once still write whole lines.
        _ = Flock(fd, LockExclusive);
        try
        {
            using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
            stream.Write(bytes);
        }
        finally
        {
            _ = Flock(fd, LockUnlock);
        }
    }

    private static bool NeedsLeadingNewline(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0)
        {
            return false;
        }

        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() != '\n';
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
