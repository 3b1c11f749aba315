using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Agreement.Srp;

namespace Parley.Crypto.Auth;

/// <summary>
/// What a client sends to register (or to change its password): the SRP salt and verifier for the
/// stretched password, and the Argon2 salt and cost that stretched it. None of it is secret enough to
/// log, but the verifier allows offline guessing, so servers keep it out of logs anyway.
/// </summary>
/// <param name="SrpSalt">32 random bytes.</param>
/// <param name="Verifier">v = g^x mod N as unsigned big-endian bytes.</param>
/// <param name="ArgonSalt">16 random bytes.</param>
/// <param name="Argon2">The Argon2id cost.</param>
public sealed record SrpRegistration(byte[] SrpSalt, byte[] Verifier, byte[] ArgonSalt, Argon2Parameters Argon2)
{
    /// <summary>
    /// Stretches the password with fresh salts and computes the verifier. <paramref name="username"/>
    /// must already be normalized (see <see cref="Usernames.TryNormalize"/>).
    /// </summary>
    public static SrpRegistration Create(string username, string password, Argon2Parameters argon2)
    {
        ArgumentNullException.ThrowIfNull(password);
        var argonSalt = RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength);
        using var stretched = StretchedPassword.Derive(password, argonSalt, argon2);
        var srpSalt = RandomNumberGenerator.GetBytes(SrpParameters.SaltLength);
        return new SrpRegistration(srpSalt, ComputeVerifier(username, stretched, srpSalt), argonSalt, argon2);
    }

    /// <summary>v = g^x mod N with x = SHA-256(salt || SHA-256(username ":" stretched)), via BouncyCastle.</summary>
    public static byte[] ComputeVerifier(string username, StretchedPassword stretched, byte[] srpSalt)
    {
        ArgumentNullException.ThrowIfNull(stretched);
        ArgumentNullException.ThrowIfNull(srpSalt);
        if (!Usernames.TryNormalize(username, out var normalized) || normalized != username)
        {
            throw new ArgumentException("The username must be valid and normalized.", nameof(username));
        }
        var generator = new Srp6VerifierGenerator();
        generator.Init(SrpParameters.N, SrpParameters.G, SrpParameters.CreateDigest());
        return SrpParameters.ToBytes(generator.GenerateVerifier(srpSalt, Encoding.UTF8.GetBytes(username), stretched.Bytes));
    }
}
