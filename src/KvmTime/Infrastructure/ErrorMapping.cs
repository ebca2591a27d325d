using System.Globalization;
using System.Management.Automation;
using KvmTime.Resources;
using KvmTime.Targets;

namespace KvmTime;

/// <summary>Turns failures into error records with a specific error ID and a real category.</summary>
internal static class ErrorMapping
{
    public static ErrorRecord ToErrorRecord(Exception exception, string targetName)
    {
        if (exception is KvmTimeException known)
        {
            return new ErrorRecord(known, known.ErrorId, ToCategory(known.Kind), known.ComputerName ?? targetName);
        }

        var wrapped = new KvmTimeException(ErrorIds.UnexpectedFailure, FailureKind.NotSpecified,
            string.Format(CultureInfo.InvariantCulture, Messages.ComputerPrefixed, targetName, exception.Message), exception);
        return new ErrorRecord(wrapped, wrapped.ErrorId, ErrorCategory.NotSpecified, targetName);
    }

    public static ErrorCategory ToCategory(FailureKind kind) => kind switch
    {
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.ConnectionError => ErrorCategory.ConnectionError,
        FailureKind.AuthenticationError => ErrorCategory.AuthenticationError,
        FailureKind.SecurityError => ErrorCategory.SecurityError,
        FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.NotImplemented => ErrorCategory.NotImplemented,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.InvalidOperation => ErrorCategory.InvalidOperation,
        FailureKind.InvalidResult => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };
}
