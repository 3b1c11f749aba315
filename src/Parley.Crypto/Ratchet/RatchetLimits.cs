namespace Parley.Crypto.Ratchet;

/// <summary>The Double Ratchet's named bounds (docs/PROTOCOL.md sections 5 and 11).</summary>
public static class RatchetLimits
{
    /// <summary>
    /// Most skipped message keys stored in one session, across all chains. When more are skipped the
    /// oldest are discarded, so memory stays bounded whatever a peer sends.
    /// </summary>
    public const int MaxSkippedMessageKeys = 2000;

    /// <summary>
    /// Largest gap accepted within one receiving chain (message number minus the next expected one).
    /// A header one past it is rejected before any key is derived.
    /// </summary>
    public const uint MaxForwardJump = 25_000;

    /// <summary>How many earlier receiving ratchet keys are remembered to recognise late duplicates.</summary>
    public const int PreviousReceivingKeysKept = 5;

    /// <summary>Longest session associated data accepted (bytes).</summary>
    public const int MaxAssociatedDataLength = 4096;
}
