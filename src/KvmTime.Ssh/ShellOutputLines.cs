using System.Text;
using System.Threading.Channels;

namespace KvmTime.Ssh;

/// <summary>
/// The lines a remote shell writes, read on a thread of their own. SSH.NET's output stream has no
/// asynchronous read: Stream.ReadAsync runs its blocking Read on a thread-pool thread, so every
/// shell waiting for a slow command held a pool thread. A 32-target fan-out starved the pool, and
/// a Ctrl-C then waited (seconds, once over a minute) for a pool thread to run its cancellation
/// while connections stayed open. Here the blocking read costs one dedicated thread per shell, as
/// SSH.NET's own listener does per connection, and a waiting caller holds no thread at all.
/// </summary>
internal sealed class ShellOutputLines
{
    private const int ReaderStackSize = 256 * 1024;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly StreamReader reader;

    /// <summary>Starts reading <paramref name="output"/>; the reading ends when the stream ends or is disposed.</summary>
    public ShellOutputLines(Stream output)
    {
        reader = new StreamReader(output, new UTF8Encoding(false));
        new Thread(Pump, ReaderStackSize) { IsBackground = true, Name = "KvmTime shell output" }.Start();
    }

    /// <summary>The next line, or null once the shell's output ended.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && lines.Reader.TryRead(out var line) ? line : null;

    private void Pump()
    {
        try
        {
            while (reader.ReadLine() is { } line)
            {
                lines.Writer.TryWrite(line);
            }

            lines.Writer.TryComplete();
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException)
        {
            lines.Writer.TryComplete(); // the shell was closed under the read: its output simply ends
        }
        finally
        {
            reader.Dispose();
        }
    }
}
