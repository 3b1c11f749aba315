namespace Parley.Crypto.Auth;

/// <summary>
/// The Argon2id cost that stretches a password before SRP. Stored with the verifier and sent to the
/// client at login, so it can be raised for new registrations without breaking old accounts.
/// </summary>
/// <param name="MemoryKiB">Memory in KiB (default 65,536 = 64 MiB).</param>
/// <param name="Iterations">Passes over memory (default 3).</param>
/// <param name="Parallelism">Lanes; libsodium (NSec) supports only 1.</param>
public sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>Length of the Argon2 salt in bytes.</summary>
    public const int SaltLength = 16;

    /// <summary>Length of the stretched password in bytes.</summary>
    public const int OutputLength = 32;

    /// <summary>Largest memory cost accepted anywhere (1 GiB), so a server cannot make a client exhaust memory.</summary>
    public const int MaxMemoryKiB = 1024 * 1024;

    /// <summary>Largest iteration count accepted anywhere.</summary>
    public const int MaxIterations = 16;

    /// <summary>Smallest memory cost libsodium accepts.</summary>
    public const int MinMemoryKiB = 8;

    /// <summary>The production cost: 64 MiB, 3 iterations, 1 lane.</summary>
    public static Argon2Parameters Default { get; } = new(64 * 1024, 3, 1);

    /// <summary>True when the values are within what any Parley component will compute.</summary>
    public bool IsWithinBounds =>
        MemoryKiB is >= MinMemoryKiB and <= MaxMemoryKiB && Iterations is >= 1 and <= MaxIterations && Parallelism == 1;
}
