namespace Parley.Server.Files;

/// <summary>
/// Expected failures of the file feature. Endpoints turn each into one ProblemDetails status in
/// <c>FileProblems</c>; none carries user data.
/// </summary>
public enum FileError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>No such blob, it expired, or it is not visible to the caller.</summary>
    NotFound,

    /// <summary>The caller is not the uploader of this blob.</summary>
    NotOwner,

    /// <summary>The declared length exceeds the server's largest blob.</summary>
    TooLarge,

    /// <summary>The account's quota would be exceeded.</summary>
    QuotaExceeded,

    /// <summary>The Upload-Offset sent does not match the server's offset.</summary>
    OffsetMismatch,

    /// <summary>Another request is appending to the same upload right now.</summary>
    Busy,

    /// <summary>The body holds more bytes than the declared length leaves room for.</summary>
    BodyTooLong,

    /// <summary>The upload is already complete; nothing more can be appended.</summary>
    AlreadyComplete,

    /// <summary>The upload is not complete yet, so it cannot be downloaded.</summary>
    Incomplete,

    /// <summary>The stored bytes were lost (disk cleaned by hand, crash); the upload must restart.</summary>
    Lost,
}

/// <summary>A value or a <see cref="FileError"/>.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct FileResult<T>(T? Value, FileError Error)
{
    /// <summary>True when there is a value.</summary>
    public bool Succeeded => Error == FileError.None;

}

/// <summary>Factories for <see cref="FileResult{T}"/>.</summary>
public static class FileResult
{
    /// <summary>Wraps a value.</summary>
    public static FileResult<T> Ok<T>(T value) => new(value, FileError.None);

    /// <summary>Wraps an error.</summary>
    public static FileResult<T> Fail<T>(FileError error) => new(default, error);
}
