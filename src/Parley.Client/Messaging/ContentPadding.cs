namespace Parley.Client.Messaging;

/// <summary>
/// Pads a serialized <c>Content</c> before encryption so that ciphertext lengths reveal only a coarse
/// size class (docs/PROTOCOL.md 10C): the bytes, then <c>0x80</c>, then zeros up to the next multiple
/// of <see cref="BlockBytes"/> (ISO/IEC 7816-4 padding, as Signal pads its content). A content of
/// 0..159 bytes becomes 160, 160..319 becomes 320, and so on.
/// </summary>
public static class ContentPadding
{
    /// <summary>Padded plaintexts are a multiple of this many bytes.</summary>
    public const int BlockBytes = 160;

    /// <summary>The largest padded plaintext a client sends or accepts (below the server's 256 KiB ciphertext cap).</summary>
    public const int MaxPaddedBytes = 1600 * BlockBytes;

    /// <summary>The largest serialized content that still fits in <see cref="MaxPaddedBytes"/> once padded.</summary>
    public const int MaxContentBytes = MaxPaddedBytes - 1;

    private const byte Marker = 0x80;

    /// <summary>The padded form of <paramref name="content"/>.</summary>
    /// <exception cref="ArgumentException">The content is over <see cref="MaxContentBytes"/>.</exception>
    public static byte[] Pad(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxContentBytes)
        {
            throw new ArgumentException("The content is over the largest message size.", nameof(content));
        }
        var padded = new byte[(content.Length / BlockBytes + 1) * BlockBytes];
        content.CopyTo(padded);
        padded[content.Length] = Marker;
        return padded;
    }

    /// <summary>
    /// The content inside a padded plaintext: false unless the length is a positive multiple of
    /// <see cref="BlockBytes"/> within <see cref="MaxPaddedBytes"/> and the padding is exactly one
    /// <c>0x80</c> followed by zeros within the last block.
    /// </summary>
    public static bool TryUnpad(ReadOnlySpan<byte> padded, out ReadOnlySpan<byte> content)
    {
        content = default;
        if (padded.Length == 0 || padded.Length > MaxPaddedBytes || padded.Length % BlockBytes != 0)
        {
            return false;
        }
        var marker = padded.LastIndexOfAnyExcept((byte)0);
        if (marker < 0 || padded[marker] != Marker || padded.Length - marker > BlockBytes)
        {
            return false;
        }
        content = padded[..marker];
        return true;
    }
}
