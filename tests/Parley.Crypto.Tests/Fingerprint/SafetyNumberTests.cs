using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Fingerprint;

namespace Parley.Crypto.Tests.Fingerprint;

public sealed class SafetyNumberTests
{
    private static FingerprintIdentity Identity(string account, byte seed)
    {
        byte[] ed = Enumerable.Range(0, 32).Select(i => (byte)(seed + i)).ToArray();
        byte[] x = Enumerable.Range(0, 32).Select(i => (byte)(seed * 3 + i)).ToArray();
        return new FingerprintIdentity(account, ed, x);
    }

    private static FingerprintIdentity WithFlippedByte(FingerprintIdentity id, bool ed25519)
    {
        byte[] ed = id.Ed25519PublicKey.ToArray();
        byte[] x = id.X25519PublicKey.ToArray();
        (ed25519 ? ed : x)[7] ^= 0x01;
        return new FingerprintIdentity(id.AccountId, ed, x);
    }

    [Fact]
    public void Both_sides_see_the_same_sixty_digits()
    {
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 50);
        SafetyNumber aliceView = SafetyNumber.Create(alice, bob);
        SafetyNumber bobView = SafetyNumber.Create(bob, alice);
        Assert.Equal(aliceView.Digits, bobView.Digits);
        Assert.Equal(aliceView.ToDisplayString(), bobView.ToDisplayString());
    }

    [Fact]
    public void Display_is_twelve_groups_of_five_digits()
    {
        SafetyNumber number = SafetyNumber.Create(Identity("alice", 1), Identity("bob", 2));
        Assert.Equal(60, number.Digits.Length);
        Assert.All(number.Digits, c => Assert.InRange(c, '0', '9'));
        Assert.Equal(12, number.Groups.Count);
        Assert.All(number.Groups, g => Assert.Equal(5, g.Length));
        Assert.Matches("^([0-9]{5} ){11}[0-9]{5}$", number.ToDisplayString());
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public void Changing_either_identity_key_of_either_side_changes_the_number(bool ed25519, bool changeRemote)
    {
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 2);
        string original = SafetyNumber.Create(alice, bob).Digits;
        string changed = changeRemote
            ? SafetyNumber.Create(alice, WithFlippedByte(bob, ed25519)).Digits
            : SafetyNumber.Create(WithFlippedByte(alice, ed25519), bob).Digits;
        Assert.NotEqual(original, changed);
    }

    [Fact]
    public void Changing_an_account_id_changes_the_number()
    {
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 2);
        FingerprintIdentity mallory = new("mallory", bob.Ed25519PublicKey, bob.X25519PublicKey);
        Assert.NotEqual(SafetyNumber.Create(alice, bob).Digits, SafetyNumber.Create(alice, mallory).Digits);
    }

    [Fact]
    public void Digits_follow_the_documented_construction()
    {
        // Independent re-derivation of docs/PROTOCOL.md section 7 with IncrementalHash.
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 2);
        string expectedA = Reference(alice), expectedB = Reference(bob);
        string expected = string.CompareOrdinal(expectedA, expectedB) <= 0 ? expectedA + expectedB : expectedB + expectedA;
        Assert.Equal(expected, SafetyNumber.Create(alice, bob).Digits);
    }

    private static string Reference(FingerprintIdentity id)
    {
        byte[] keys = [.. id.Ed25519PublicKey.ToArray(), .. id.X25519PublicKey.ToArray()];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha.AppendData([0x00, 0x01]);
        sha.AppendData(keys);
        sha.AppendData(Encoding.UTF8.GetBytes(id.AccountId));
        byte[] hash = sha.GetHashAndReset();
        for (int i = 0; i < 5200; i++)
        {
            sha.AppendData(hash);
            sha.AppendData(keys);
            hash = sha.GetHashAndReset();
        }

        var sb = new StringBuilder();
        for (int c = 0; c < 6; c++)
        {
            byte[] chunk = new byte[8];
            hash.AsSpan(c * 5, 5).CopyTo(chunk.AsSpan(3));
            sb.Append((BinaryPrimitives.ReadUInt64BigEndian(chunk) % 100000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    [Fact]
    public void Scanned_payload_from_the_other_side_matches()
    {
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 2);
        byte[] bobsQr = SafetyNumber.Create(bob, alice).ToQrPayload();
        Assert.Equal(SafetyNumber.QrPayloadLength, bobsQr.Length);
        Assert.Equal(ScannedSafetyNumberResult.Match, SafetyNumber.Create(alice, bob).CompareScanned(bobsQr));
    }

    [Fact]
    public void Scanning_your_own_payload_is_not_a_match()
    {
        SafetyNumber number = SafetyNumber.Create(Identity("alice", 1), Identity("bob", 2));
        Assert.Equal(ScannedSafetyNumberResult.Mismatch, number.CompareScanned(number.ToQrPayload()));
    }

    [Fact]
    public void Scanned_payload_for_a_changed_key_is_a_mismatch()
    {
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 2);
        byte[] evilQr = SafetyNumber.Create(WithFlippedByte(bob, true), alice).ToQrPayload();
        Assert.Equal(ScannedSafetyNumberResult.Mismatch, SafetyNumber.Create(alice, bob).CompareScanned(evilQr));
    }

    [Fact]
    public void Malformed_and_other_version_payloads_are_reported()
    {
        FingerprintIdentity alice = Identity("alice", 1), bob = Identity("bob", 2);
        SafetyNumber number = SafetyNumber.Create(alice, bob);
        byte[] good = SafetyNumber.Create(bob, alice).ToQrPayload();
        Assert.Equal(ScannedSafetyNumberResult.Malformed, number.CompareScanned([]));
        Assert.Equal(ScannedSafetyNumberResult.Malformed, number.CompareScanned(good.AsSpan(0, good.Length - 1)));
        Assert.Equal(ScannedSafetyNumberResult.Malformed, number.CompareScanned([.. good, 0]));
        byte[] badMagic = (byte[])good.Clone();
        badMagic[0] ^= 0xFF;
        Assert.Equal(ScannedSafetyNumberResult.Malformed, number.CompareScanned(badMagic));
        byte[] otherVersion = (byte[])good.Clone();
        otherVersion[3] = 0x09;
        Assert.Equal(ScannedSafetyNumberResult.VersionMismatch, number.CompareScanned(otherVersion));
    }

    [Fact]
    public void Invalid_identity_material_is_refused()
    {
        byte[] key = new byte[32];
        Assert.Throws<ArgumentException>(() => new FingerprintIdentity("", key, key));
        Assert.Throws<ArgumentException>(() => new FingerprintIdentity("a", new byte[31], key));
        Assert.Throws<ArgumentException>(() => new FingerprintIdentity("a", key, new byte[33]));
        Assert.Throws<ArgumentException>(() => new FingerprintIdentity(new string('a', 257), key, key));
    }
}
