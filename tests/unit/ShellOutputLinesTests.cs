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
    // Stream.ReadAsync runs it on a pool thread, so every waiting shell held one. A hundred waiting
    // readers must leave the pool free: with a pool thread each, this work item would wait for
    // the pool to grow by a hundred threads (about two a second).
    [Fact]
    public async Task Readers_waiting_for_output_leave_the_thread_pool_free()
    {
        var streams = Enumerable.Range(0, 100).Select(_ => new SilentStream()).ToList();
        try
        {
            var waiting = streams.Select(s => new ShellOutputLines(s).ReadLineAsync(CancellationToken.None).AsTask()).ToList();

            Assert.True(await Task.Run(() => true).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.DoesNotContain(waiting, w => w.IsCompleted);
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
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

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
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
