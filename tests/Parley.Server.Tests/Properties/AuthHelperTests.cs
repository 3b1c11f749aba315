using Parley.Crypto.Auth;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Parley.Server.Tests.Properties;

/// <summary>The shared client and server SRP, Argon2, proof-of-work and username helpers, against each other.</summary>
public sealed class AuthHelperTests
{
    private static readonly Argon2Parameters Cheap = new(1024, 1, 1);

    [Fact]
    public void Client_and_server_helpers_agree_and_prove_each_other()
    {
        var registration = SrpRegistration.Create("alice", "hunter2 hunter2", Cheap);
        var (publicB, privateB) = SrpServerSession.Begin(registration.Verifier);
        using var stretched = StretchedPassword.Derive("hunter2 hunter2", registration.ArgonSalt, Cheap);
        using var client = new SrpClientSession("alice", stretched, registration.SrpSalt);
        var m1 = client.ComputeProof(publicB);
        Assert.True(SrpServerSession.TryFinish(registration.Verifier, privateB, publicB, client.PublicA, m1, out var m2));
        Assert.True(client.VerifyServerProof(m2));
        Assert.Equal(SrpParameters.ProofLength, client.SessionKey.Length);
        m2[^1] ^= 1;
        Assert.False(client.VerifyServerProof(m2));
    }

    [Fact]
    public void A_wrong_password_fails_on_the_server()
    {
        var registration = SrpRegistration.Create("alice", "right", Cheap);
        var (publicB, privateB) = SrpServerSession.Begin(registration.Verifier);
        using var stretched = StretchedPassword.Derive("wrong", registration.ArgonSalt, Cheap);
        using var client = new SrpClientSession("alice", stretched, registration.SrpSalt);
        var m1 = client.ComputeProof(publicB);
        Assert.False(SrpServerSession.TryFinish(registration.Verifier, privateB, publicB, client.PublicA, m1, out var m2));
        Assert.Empty(m2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void The_server_refuses_A_congruent_to_zero(int multiple)
    {
        var registration = SrpRegistration.Create("alice", "pw", Cheap);
        var (publicB, privateB) = SrpServerSession.Begin(registration.Verifier);
        var a = SrpParameters.N.Multiply(BigInteger.ValueOf(multiple));
        var bytes = multiple == 0 ? new byte[] { 0 } : SrpParameters.ToBytes(a);
        Assert.False(SrpServerSession.TryFinish(registration.Verifier, privateB, publicB, bytes, new byte[32], out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void The_client_refuses_B_congruent_to_zero(int multiple)
    {
        using var stretched = StretchedPassword.Derive("pw", new byte[16], Cheap);
        using var client = new SrpClientSession("alice", stretched, new byte[32]);
        var b = multiple == 0 ? new byte[] { 0 } : SrpParameters.ToBytes(SrpParameters.N);
        Assert.Throws<SrpException>(() => client.ComputeProof(b));
    }

    [Fact]
    public void The_client_computes_one_proof_and_checks_M2_only_after()
    {
        using var stretched = StretchedPassword.Derive("pw", new byte[16], Cheap);
        using var client = new SrpClientSession("alice", stretched, new byte[32]);
        Assert.Throws<InvalidOperationException>(() => client.VerifyServerProof(new byte[32]));
        var (publicB, _) = SrpServerSession.Begin(SrpRegistration.Create("alice", "pw", Cheap).Verifier);
        client.ComputeProof(publicB);
        Assert.Throws<InvalidOperationException>(() => client.ComputeProof(publicB));
        Assert.False(client.VerifyServerProof(new byte[33]));
    }

    [Fact]
    public void Argon2_is_deterministic_and_rejects_bad_salts_and_costs()
    {
        using var a = StretchedPassword.Derive("pw", new byte[16], Cheap);
        using var b = StretchedPassword.Derive("pw", new byte[16], Cheap);
        var va = SrpRegistration.ComputeVerifier("alice", a, new byte[32]);
        var vb = SrpRegistration.ComputeVerifier("alice", b, new byte[32]);
        Assert.Equal(va, vb);
        Assert.Equal(nameof(StretchedPassword), a.ToString());
        Assert.Throws<ArgumentException>(() => StretchedPassword.Derive("pw", new byte[15], Cheap));
        Assert.Throws<ArgumentException>(() => StretchedPassword.Derive("pw", new byte[16], new Argon2Parameters(1024, 1, 2)));
        Assert.Throws<ArgumentException>(() => StretchedPassword.Derive("pw", new byte[16], new Argon2Parameters(Argon2Parameters.MaxMemoryKiB + 1, 1, 1)));
        Assert.Throws<ArgumentException>(() => SrpRegistration.ComputeVerifier("Alice", a, new byte[32]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(12)]
    public void Proof_of_work_solutions_verify_at_their_difficulty(int difficulty)
    {
        var challenge = System.Security.Cryptography.RandomNumberGenerator.GetBytes(57);
        var counter = ProofOfWork.Solve(challenge, difficulty);
        Assert.True(ProofOfWork.Verify(challenge, difficulty, counter));
        Assert.False(ProofOfWork.Verify(challenge, ProofOfWork.MaxDifficulty + 1, counter));
        Assert.False(ProofOfWork.Verify(new byte[ProofOfWork.MaxChallengeLength + 1], 0, counter));
    }

    [Fact]
    public void Leading_zero_bits_are_counted_exactly()
    {
        Assert.Equal(0, ProofOfWork.LeadingZeroBits([0x80]));
        Assert.Equal(7, ProofOfWork.LeadingZeroBits([0x01, 0xFF]));
        Assert.Equal(12, ProofOfWork.LeadingZeroBits([0x00, 0x08]));
        Assert.Equal(16, ProofOfWork.LeadingZeroBits([0x00, 0x00]));
    }

    [Theory]
    [InlineData("ab", false, "")]
    [InlineData("abc", true, "abc")]
    [InlineData("Alice_B.C-9", true, "alice_b.c-9")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", true, "abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false, "")]
    [InlineData("al ice", false, "")]
    [InlineData("alïce", false, "")]
    [InlineData("ALİCE", false, "")]
    public void Usernames_follow_the_rules_at_and_past_each_limit(string input, bool valid, string normalized)
    {
        Assert.Equal(valid, Usernames.TryNormalize(input, out var result));
        Assert.Equal(normalized, result);
    }
}
