using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement.Srp;
using Org.BouncyCastle.Security;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Parley.Crypto.Auth;

/// <summary>
/// The client's half of an SRP-6a login (BouncyCastle <see cref="Srp6Client"/>, RFC 5054 4096-bit
/// group, SHA-256). Use once: <see cref="PublicA"/> → server; <see cref="ComputeProof"/> with the
/// server's B → M1; <see cref="VerifyServerProof"/> with M2 before trusting the session. Rejects
/// B ≡ 0 (mod N), u = 0 and a wrong M2.
/// </summary>
public sealed class SrpClientSession : IDisposable
{
    private readonly ShortExponentClient client = new();
    private byte[]? expectedM2;
    private byte[]? sessionKey;
    private bool proofComputed;

    /// <summary>Starts a login for a normalized username with the stretched password and the account's SRP salt.</summary>
    public SrpClientSession(string username, StretchedPassword password, byte[] srpSalt)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(srpSalt);
        client.Init(SrpParameters.N, SrpParameters.G, SrpParameters.CreateDigest(), new SecureRandom());
        PublicA = SrpParameters.ToBytes(client.GenerateClientCredentials(srpSalt, Encoding.UTF8.GetBytes(username), password.Bytes));
    }

    /// <summary>The client's public ephemeral A (unsigned big-endian).</summary>
    public byte[] PublicA { get; }

    /// <summary>The shared session key K = SHA-256(S) once the server is verified; null before.</summary>
    public ReadOnlySpan<byte> SessionKey => sessionKey;

    /// <summary>Computes the client proof M1 for the server's B; throws <see cref="SrpException"/> for an illegal B.</summary>
    public byte[] ComputeProof(ReadOnlySpan<byte> publicB)
    {
        if (proofComputed)
        {
            throw new InvalidOperationException("An SRP client session computes one proof.");
        }
        proofComputed = true;
        if (publicB.IsEmpty || publicB.Length > SrpParameters.ElementLength)
        {
            throw new SrpException("The server's public value has an invalid length.");
        }
        var b = SrpParameters.FromBytes(publicB);
        if (b.Mod(SrpParameters.N).SignValue == 0)
        {
            throw new SrpException("The server's public value is zero modulo N.");
        }
        var a = SrpParameters.FromBytes(PublicA);
        if (Srp6Utilities.CalculateU(SrpParameters.CreateDigest(), SrpParameters.N, a, b).SignValue == 0)
        {
            throw new SrpException("The scrambling parameter u is zero.");
        }
        try
        {
            var s = client.CalculateSecret(b);
            var m1 = client.CalculateClientEvidenceMessage();
            expectedM2 = SrpParameters.ToPaddedBytes(
                Srp6Utilities.CalculateM2(SrpParameters.CreateDigest(), SrpParameters.N, a, m1, s), SrpParameters.ProofLength);
            sessionKey = SrpParameters.ToPaddedBytes(
                Srp6Utilities.CalculateKey(SrpParameters.CreateDigest(), SrpParameters.N, s), SrpParameters.ProofLength);
            return SrpParameters.ToBytes(m1);
        }
        catch (CryptoException e)
        {
            throw new SrpException("The server's public value is invalid.", e);
        }
    }

    /// <summary>True when M2 proves the server knew the verifier; compared in constant time.</summary>
    public bool VerifyServerProof(ReadOnlySpan<byte> m2)
    {
        if (expectedM2 is null)
        {
            throw new InvalidOperationException("Compute the client proof first.");
        }
        if (m2.Length is 0 or > SrpParameters.ProofLength)
        {
            return false;
        }
        Span<byte> padded = stackalloc byte[SrpParameters.ProofLength];
        m2.CopyTo(padded[(SrpParameters.ProofLength - m2.Length)..]);
        return CryptographicOperations.FixedTimeEquals(padded, expectedM2);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (sessionKey is not null)
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <inheritdoc />
    public override string ToString() => nameof(SrpClientSession);

    internal static BigInteger Decode(ReadOnlySpan<byte> bytes) => SrpParameters.FromBytes(bytes);

    /// <summary>BouncyCastle's client with 256-bit private ephemerals (see <see cref="SrpParameters.NewPrivateValue"/>).</summary>
    private sealed class ShortExponentClient : Srp6Client
    {
        protected override BigInteger SelectPrivateValue() => SrpParameters.NewPrivateValue();
    }
}
