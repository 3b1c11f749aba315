using Parley.Crypto.Attachments;

namespace Parley.Client.Transfers;

/// <summary>Why a file transfer failed. Messages are fixed texts without names, ids or keys.</summary>
public enum TransferError
{
    /// <summary>The server refused the request (see the HTTP status).</summary>
    ServerRefused = 1,

    /// <summary>The file is larger than the server accepts.</summary>
    TooLarge,

    /// <summary>The account's storage quota on the server is used up.</summary>
    QuotaExceeded,

    /// <summary>The blob does not exist on the server (never uploaded, deleted or expired).</summary>
    NotFound,

    /// <summary>The connection kept failing; the transfer can be resumed later.</summary>
    Interrupted,

    /// <summary>The downloaded blob failed verification (see <see cref="TransferException.CorruptReason"/>).</summary>
    Corrupt,

    /// <summary>The server answered something that breaks the protocol.</summary>
    ProtocolViolation,
}

/// <summary>A failed upload or download. Nothing partial is left under a final file name.</summary>
public sealed class TransferException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransferException(TransferError error, int? status = null, AttachmentError corruptReason = AttachmentError.None, Exception? inner = null)
        : base(Describe(error), inner)
    {
        Error = error;
        StatusCode = status;
        CorruptReason = corruptReason;
    }

    /// <summary>Creates a generic exception.</summary>
    public TransferException()
        : this(TransferError.ServerRefused)
    {
    }

    /// <summary>Creates a generic exception with a message.</summary>
    public TransferException(string message)
        : base(message) => Error = TransferError.ServerRefused;

    /// <summary>Creates a generic exception with a message and cause.</summary>
    public TransferException(string message, Exception innerException)
        : base(message, innerException) => Error = TransferError.ServerRefused;

    /// <summary>What went wrong.</summary>
    public TransferError Error { get; }

    /// <summary>The HTTP status involved, if any.</summary>
    public int? StatusCode { get; }

    /// <summary>For <see cref="TransferError.Corrupt"/>: which check failed.</summary>
    public AttachmentError CorruptReason { get; }

    private static string Describe(TransferError error) => error switch
    {
        TransferError.TooLarge => "The file is larger than the server accepts.",
        TransferError.QuotaExceeded => "Your storage quota on the server is used up.",
        TransferError.NotFound => "The file is not on the server (it may have expired).",
        TransferError.Interrupted => "The transfer was interrupted; try again to resume.",
        TransferError.Corrupt => "The downloaded file is corrupt and was discarded.",
        TransferError.ProtocolViolation => "The server broke the file transfer protocol.",
        _ => "The server refused the file transfer.",
    };
}
