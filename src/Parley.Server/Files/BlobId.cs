using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Parley.Server.Files;

/// <summary>
/// The id of a stored blob: 128 random bits written as 32 lowercase hexadecimal characters. The id is
/// an unguessable capability — holding it is what lets an authenticated user download the blob — so
/// it comes only from <see cref="RandomNumberGenerator"/> and is parsed strictly.
/// </summary>
public readonly record struct BlobId
{
    /// <summary>Number of random bytes in an id.</summary>
    public const int ByteLength = 16;

    /// <summary>Length of the textual form (lowercase hex).</summary>
    public const int TextLength = ByteLength * 2;

    private readonly string? _value;

    private BlobId(string value) => _value = value;

    /// <summary>The textual form used in URLs, file names and the database.</summary>
    public string Value => _value ?? throw new InvalidOperationException("The blob id is uninitialised.");

    /// <summary>Creates a fresh random id.</summary>
    public static BlobId NewId()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        RandomNumberGenerator.Fill(bytes);
        return new BlobId(Convert.ToHexStringLower(bytes));
    }

    /// <summary>
    /// Parses the textual form: exactly <see cref="TextLength"/> characters of <c>[0-9a-f]</c>.
    /// Anything else (upper case, separators, dots, slashes) is refused, so an id can never name a
    /// path outside the blob directory.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out BlobId id)
    {
        id = default;
        if (text is null || text.Length != TextLength)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        id = new BlobId(text);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
