using KvmTime.Resources;

namespace KvmTime.Targets;

/// <summary>Why an operation failed, mapped one to one onto PowerShell's ErrorCategory by the cmdlet layer.</summary>
internal enum FailureKind
{
    NotSpecified,
    ObjectNotFound,
    InvalidArgument,
    InvalidData,
    ConnectionError,
    AuthenticationError,
    SecurityError,
    OperationTimeout,
    PermissionDenied,
    NotImplemented,
    ResourceUnavailable,
    InvalidOperation,
    InvalidResult,
}

/// <summary>
/// A failure with a specific, stable error ID (it becomes the FullyQualifiedErrorId) and a message
/// that says what to do next.
/// </summary>
internal sealed class KvmTimeException : Exception
{
    public KvmTimeException(string errorId, FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    public KvmTimeException()
        : this(ErrorIds.Unknown, FailureKind.NotSpecified, Messages.Unknown)
    {
    }

    public KvmTimeException(string message)
        : this(ErrorIds.Unknown, FailureKind.NotSpecified, message)
    {
    }

    public KvmTimeException(string message, Exception innerException)
        : this(ErrorIds.Unknown, FailureKind.NotSpecified, message, innerException)
    {
    }

    public string ErrorId { get; }

    public FailureKind Kind { get; }

    /// <summary>The machine the failure happened on, when known.</summary>
    public string? ComputerName { get; init; }
}
