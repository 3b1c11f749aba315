using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Auth;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Parley.Server.Tests.Vectors;

/// <summary>
/// Recomputes PROTOCOL.md section 9.4 from the document alone (SHA-256 and modular arithmetic, no SRP
/// library) and checks the shared helpers agree: a client written from the document can log in to
/// the server, and the server's M2 is the document's M2. Also 9.7's proof-of-work hash.
/// </summary>
public sealed class ProtocolSection9Tests
{
    private static readonly BigInteger N = SrpParameters.N;
    private static readonly BigInteger G = SrpParameters.G;

    [Fact]
    public void A_client_written_from_the_document_logs_in_and_gets_the_documented_M2()
    {
        var argon = new Argon2Parameters(1024, 1, 1);
        var registration = SrpRegistration.Create("alice", "pw", argon);
        var p = NSec.Cryptography.PasswordBasedKeyDerivationAlgorithm.Argon2id(new NSec.Cryptography.Argon2Parameters
        {
            MemorySize = 1024, NumberOfPasses = 1, DegreeOfParallelism = 1,
        }).DeriveBytes(Encoding.UTF8.GetBytes("pw"), registration.ArgonSalt, 32);

        var x = Int(H(registration.SrpSalt, H(Encoding.UTF8.GetBytes("alice:"), p)));
        Assert.Equal(G.ModPow(x, N), SrpParameters.FromBytes(registration.Verifier));

        var (publicB, privateB) = SrpServerSession.Begin(registration.Verifier);
        var b = Int(publicB);
        var k = Int(H(Pad(N), Pad(G)));
        var v = SrpParameters.FromBytes(registration.Verifier);
        Assert.Equal(k.Multiply(v).Add(G.ModPow(Int(privateB), N)).Mod(N), b);

        var a = new BigInteger(1, RandomNumberGenerator.GetBytes(32)).SetBit(255);
        var publicA = G.ModPow(a, N);
        var u = Int(H(Pad(publicA), Pad(b)));
        var s = b.Subtract(k.Multiply(G.ModPow(x, N))).Mod(N).ModPow(a.Add(u.Multiply(x)), N);
        var m1 = H(Pad(publicA), Pad(b), Pad(s));
        var m2 = H(Pad(publicA), Pad(Int(m1)), Pad(s));

        Assert.True(SrpServerSession.TryFinish(registration.Verifier, privateB, publicB, publicA.ToByteArrayUnsigned(), m1, out var serverM2));
        Assert.Equal(m2, Left(serverM2));
    }

    [Fact]
    public void The_documented_key_and_proofs_match_the_client_helper()
    {
        var argon = new Argon2Parameters(1024, 1, 1);
        var registration = SrpRegistration.Create("bob", "pw", argon);
        using var stretched = StretchedPassword.Derive("pw", registration.ArgonSalt, argon);
        var (publicB, privateB) = SrpServerSession.Begin(registration.Verifier);
        using var client = new SrpClientSession("bob", stretched, registration.SrpSalt);
        var m1 = client.ComputeProof(publicB);
        var publicA = Int(client.PublicA);
        var v = SrpParameters.FromBytes(registration.Verifier);
        var u = Int(H(Pad(publicA), Pad(Int(publicB))));
        var s = publicA.Multiply(v.ModPow(u, N)).ModPow(Int(privateB), N); // server side of 9.4
        Assert.Equal(H(Pad(publicA), Pad(Int(publicB)), Pad(s)), Left(m1));
        Assert.Equal(H(Pad(s)), client.SessionKey.ToArray());
        Assert.True(client.VerifyServerProof(H(Pad(publicA), Pad(Int(m1)), Pad(s))));
    }

    [Fact]
    public void Proof_of_work_is_sha256_of_challenge_and_big_endian_counter()
    {
        var challenge = RandomNumberGenerator.GetBytes(57);
        var counter = ProofOfWork.Solve(challenge, 10);
        var input = new byte[65];
        challenge.CopyTo(input, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(57), counter);
        var hash = SHA256.HashData(input);
        Assert.Equal(0, hash[0]);
        Assert.True(hash[1] < 0x40);
    }

    private static byte[] H(params byte[][] parts) => SHA256.HashData(parts.SelectMany(part => part).ToArray());

    private static BigInteger Int(byte[] bytes) => new(1, bytes);

    private static byte[] Pad(BigInteger value) => SrpParameters.ToPaddedBytes(value, SrpParameters.ElementLength);

    private static byte[] Left(byte[] proof) => SrpParameters.ToPaddedBytes(Int(proof), SrpParameters.ProofLength);
}
