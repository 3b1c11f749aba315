namespace Parley.Crypto.Fingerprint;

/// <summary>Outcome of comparing a scanned QR payload with the locally computed safety number.</summary>
public enum ScannedSafetyNumberResult
{
    /// <summary>The scanned payload describes exactly the same two identities: verified.</summary>
    Match = 1,

    /// <summary>The payload is well formed but describes different identities: do not trust.</summary>
    Mismatch = 2,

    /// <summary>The payload was made by a different safety-number version; ask both sides to update.</summary>
    VersionMismatch = 3,

    /// <summary>The payload is not a safety-number QR payload (wrong length or magic).</summary>
    Malformed = 4,
}
