using Parley.Server.Hosting;

namespace Parley.Server.Files;

/// <summary>
/// The one place where file errors become RFC 7807 problems (thrown as <see cref="ProblemException"/>
/// and rendered by the host's handler). Titles are fixed texts without ids or sizes.
/// </summary>
public static class FileProblems
{
    /// <summary>The problem for <paramref name="error"/>.</summary>
    public static ProblemException For(FileError error) => error switch
    {
        FileError.NotFound => ProblemException.NotFound("No such file"),
        FileError.NotOwner => new ProblemException(StatusCodes.Status403Forbidden, "not-owner", "Only the uploader may change this upload"),
        FileError.TooLarge => new ProblemException(StatusCodes.Status413PayloadTooLarge, "file-too-large", "File exceeds the server's size limit"),
        FileError.QuotaExceeded => new ProblemException(StatusCodes.Status413PayloadTooLarge, "quota-exceeded", "Storage quota exceeded"),
        FileError.OffsetMismatch => ProblemException.Conflict("offset-mismatch", "Upload-Offset does not match the server's offset"),
        FileError.Busy => new ProblemException(StatusCodes.Status423Locked, "upload-busy", "Another request is writing to this upload"),
        FileError.BodyTooLong => new ProblemException(StatusCodes.Status413PayloadTooLarge, "body-too-long", "Body exceeds the declared Upload-Length"),
        FileError.AlreadyComplete => ProblemException.Conflict("upload-complete", "The upload is already complete"),
        FileError.Incomplete => ProblemException.NotFound("No such file"),
        FileError.Lost => new ProblemException(StatusCodes.Status410Gone, "upload-lost", "The upload's stored bytes are gone; start a new upload"),
        _ => throw new ArgumentOutOfRangeException(nameof(error)),
    };

    /// <summary>412: the client did not declare the tus version this server speaks.</summary>
    public static ProblemException UnsupportedVersion() =>
        new(StatusCodes.Status412PreconditionFailed, "tus-version", "Tus-Resumable 1.0.0 is required");

    /// <summary>415: a PATCH without the tus content type.</summary>
    public static ProblemException WrongContentType() =>
        new(StatusCodes.Status415UnsupportedMediaType, "tus-content-type", "PATCH bodies must be application/offset+octet-stream");

    /// <summary>400: a malformed or refused header.</summary>
    public static ProblemException BadHeader(string title) => ProblemException.BadRequest(title);
}
