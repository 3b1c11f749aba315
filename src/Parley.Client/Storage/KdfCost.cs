namespace Parley.Client.Storage;

/// <summary>
/// Argon2id cost parameters for wrapping the store key. They are written into the key file, so a
/// file always unlocks with the parameters it was created with.
/// </summary>
/// <param name="MemoryKiB">Memory in KiB.</param>
/// <param name="Passes">Number of passes (t).</param>
public readonly record struct KdfCost(int MemoryKiB, int Passes)
{
    /// <summary>The default: 64 MiB, 3 passes, 1 lane (≈ 170 ms here), per RFC 9106's second recommendation.</summary>
    public static readonly KdfCost Default = new(64 * 1024, 3);

    /// <summary>The lowest cost a key file may declare; anything lower is treated as tampering.</summary>
    public static readonly KdfCost Minimum = new(8 * 1024, 1);

    /// <summary>The highest cost a key file may declare, so a hostile file cannot exhaust memory.</summary>
    public static readonly KdfCost Maximum = new(1024 * 1024, 10);

    /// <summary>Whether the cost lies within <see cref="Minimum"/> and <see cref="Maximum"/>.</summary>
    public bool IsWithinLimits =>
        MemoryKiB >= Minimum.MemoryKiB && MemoryKiB <= Maximum.MemoryKiB &&
        Passes >= Minimum.Passes && Passes <= Maximum.Passes;
}
