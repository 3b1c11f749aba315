using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Security;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Parley.Crypto.Auth;

/// <summary>
/// The server's half of an SRP-6a login, split over two requests: <see cref="Begin"/> computes B and
/// returns the private ephemeral b for the server to keep (once, briefly); <see cref="TryFinish"/>
/// restores BouncyCastle's <see cref="Srp6Server"/> with that b and B, rejects A ≡ 0 (mod N), checks M1 in
/// constant time and only then computes M2.
/// </summary>
public static class SrpServerSession
{
    /// <summary>The server's first message: public B, and private b to keep until the client's proof arrives.</summary>
    public static (byte[] PublicB, byte[] PrivateB) Begin(ReadOnlySpan<byte> verifier)
    {
        var server = new ResumableSrp6Server(null);
        var publicB = server.Start(SrpParameters.FromBytes(verifier));
        return (SrpParameters.ToBytes(publicB), SrpParameters.ToBytes(server.PrivateB));
    }

    /// <summary>
    /// Verifies the client's proof M1 for A; on success returns M2 (the server's proof). False for an
    /// illegal A, a malformed value or a wrong proof — all indistinguishable to the caller.
    /// </summary>
    public static bool TryFinish(
        ReadOnlySpan<byte> verifier, ReadOnlySpan<byte> privateB, ReadOnlySpan<byte> publicB, ReadOnlySpan<byte> publicA,
        ReadOnlySpan<byte> m1, out byte[] m2)
    {
        m2 = [];
        if (publicA.IsEmpty || publicA.Length > SrpParameters.ElementLength || m1.IsEmpty || m1.Length > SrpParameters.ProofLength)
        {
            return false;
        }
        var a = SrpParameters.FromBytes(publicA);
        if (a.Mod(SrpParameters.N).SignValue == 0)
        {
            return false;
        }
        var server = new ResumableSrp6Server(null);
        var b = SrpParameters.FromBytes(publicB);
        server.Resume(SrpParameters.FromBytes(verifier), SrpParameters.FromBytes(privateB), b);
        try
        {
            var s = server.CalculateSecret(a);
            var expected = SrpParameters.ToPaddedBytes(
                Srp6Utilities.CalculateM1(SrpParameters.CreateDigest(), SrpParameters.N, a, b, s), SrpParameters.ProofLength);
            Span<byte> presented = stackalloc byte[SrpParameters.ProofLength];
            m1.CopyTo(presented[(SrpParameters.ProofLength - m1.Length)..]);
            if (!CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return false;
            }
            // M1 is right: let BouncyCastle record it and derive M2 = H(A || M1 || S).
            server.VerifyClientEvidenceMessage(SrpParameters.FromBytes(m1));
            m2 = SrpParameters.ToBytes(server.CalculateServerEvidenceMessage());
            return true;
        }
        catch (CryptoException)
        {
            return false;
        }
    }

    /// <summary>BouncyCastle's server with a private value that can be carried between requests.</summary>
    private sealed class ResumableSrp6Server(BigInteger? fixedPrivateB) : Srp6Server
    {
        public BigInteger PrivateB => privB;

        public BigInteger Start(BigInteger verifier)
        {
            Init(SrpParameters.N, SrpParameters.G, verifier, SrpParameters.CreateDigest(), new SecureRandom());
            return GenerateServerCredentials();
        }

        /// <summary>Restores the state after <see cref="Start"/> without recomputing B (a 4096-bit exponentiation).</summary>
        public void Resume(BigInteger verifier, BigInteger privateB, BigInteger publicB)
        {
            Init(SrpParameters.N, SrpParameters.G, verifier, SrpParameters.CreateDigest(), new SecureRandom());
            privB = privateB;
            pubB = publicB;
        }

        protected override BigInteger SelectPrivateValue() => fixedPrivateB ?? SrpParameters.NewPrivateValue();
    }
}
