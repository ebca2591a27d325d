using System.Text;

namespace KvmTime.Fuzz;

/// <summary>
/// A guest agent channel that answers every command with the fuzz input and then closes:
/// writes are discarded, reads return the input's UTF-8 bytes.
/// </summary>
public sealed class FakeAgentStream(string reply) : Stream
{
    private readonly MemoryStream replies = new(Encoding.UTF8.GetBytes(reply));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => replies.Read(buffer, offset, count);

    // Synchronous, so the whole call runs on the fuzzer's thread, where its CPU time is measured.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(replies.Read(buffer.Span));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            replies.Dispose();
        }

        base.Dispose(disposing);
    }
}
