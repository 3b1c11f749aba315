namespace Parley.Crypto.Ratchet;

/// <summary>Why the ratchet refused a message. In every case the state is unchanged.</summary>
public enum RatchetError
{
    /// <summary>The message decrypted.</summary>
    None = 0,

    /// <summary>Malformed, forged, tampered, for another session or another suite: all look the same.</summary>
    InvalidMessage = 1,

    /// <summary>Already decrypted (its key is deleted), or its skipped key was discarded as the oldest.</summary>
    DuplicateMessage = 2,

    /// <summary>The header skips more messages than <see cref="RatchetLimits.MaxForwardJump"/> allows.</summary>
    TooManySkipped = 3,
}
