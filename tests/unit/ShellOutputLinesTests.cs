using System.Text;
using KvmTime.Ssh;
using Xunit;

namespace KvmTime.Tests;

public class ShellOutputLinesTests
{
    [Fact]
    public async Task Lines_come_in_order_and_the_end_reads_as_null()
    {
        var lines = new ShellOutputLines(new MemoryStream(Encoding.UTF8.GetBytes("first\nsecond\r\nthird")));

        Assert.Equal("first", await lines.ReadLineAsync(CancellationToken.None));
        Assert.Equal("second", await lines.ReadLineAsync(CancellationToken.None));
        Assert.Equal("third", await lines.ReadLineAsync(CancellationToken.None));
        Assert.Null(await lines.ReadLineAsync(CancellationToken.None));
    }

    // The cause of issue 21's stalled Ctrl-C: SSH.NET's output stream only has a blocking Read, and
    // Stream.ReadAsync (what StreamReader.ReadLineAsync used) runs it on a thread-pool thread, so
    // every waiting shell held a pool thread and a 32-target fan-out starved the pool.
    [Fact]
    public async Task The_blocking_read_never_runs_on_a_thread_pool_thread()
    {
        using var stream = new SilentStream();
        var lines = new ShellOutputLines(stream);
        var waiting = lines.ReadLineAsync(CancellationToken.None).AsTask();

        Assert.True(stream.ReadEntered.Wait(TimeSpan.FromSeconds(30)), "the reader never called Read");
        Assert.False(stream.ReadOnPoolThread);
        Assert.False(waiting.IsCompleted);

        stream.Dispose();
        Assert.Null(await waiting);
    }

    [Fact]
    public async Task A_wait_ends_on_cancel_and_a_closed_stream_ends_the_lines()
    {
        using var stream = new SilentStream();
        var lines = new ShellOutputLines(stream);
        using var cancel = new CancellationTokenSource();

        var waiting = lines.ReadLineAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        stream.Dispose();
        Assert.Null(await lines.ReadLineAsync(CancellationToken.None));
    }

    /// <summary>Like SSH.NET's PipeStream: a blocking Read that returns only when data comes or the stream is closed, and no async read of its own.</summary>
    private sealed class SilentStream : Stream
    {
        private readonly ManualResetEventSlim closed = new();

        public ManualResetEventSlim ReadEntered { get; } = new();

        public bool ReadOnPoolThread { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadOnPoolThread |= Thread.CurrentThread.IsThreadPoolThread;
            ReadEntered.Set();
            closed.Wait();
            return 0;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            closed.Set(); // the ManualResetEventSlim stays undisposed: a reader may still be waiting on it
            base.Dispose(disposing);
        }
    }
}
