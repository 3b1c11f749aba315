using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Attachments;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Tests.Ratchet;

/// <summary>
/// Recomputes docs/PROTOCOL.md sections 5 and 8 with .NET's primitives directly, so the document and
/// the code cannot drift apart: an independent implementation following the text reads our bytes.
/// </summary>
public sealed class ProtocolDocumentTests
{
    [Fact]
    public void The_first_message_decrypts_with_the_documented_kdfs_header_and_associated_data()
    {
        byte[] sk = RandomNumberGenerator.GetBytes(32);
        byte[] ad = RandomNumberGenerator.GetBytes(100);
        byte[] prefix = [1, 1, 2];
        using var spk = X25519KeyPair.Generate();
        using var root = RootKey.FromBytes(sk);
        using var alice = DoubleRatchet.CreateInitiator(root, AeadAlgorithm.ChaCha20Poly1305, spk.PublicKey, ad);
        byte[] message = alice.Encrypt(prefix, "documented"u8);

        // 5.3 header: DHs.public || PN || N.
        ReadOnlySpan<byte> header = message.AsSpan(prefix.Length, 40);
        Assert.True(header[..32].SequenceEqual(alice.SendingRatchetKey));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(header[32..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(header[36..]));

        // 5.2 + 5.1: (RK, CKs) = KDF_RK(SK, DH(DHs, SPK)); mk = HMAC(CKs, 0x01); key || nonce = HKDF(mk).
        byte[] dh = new byte[32];
        Assert.True(spk.TryAgree(header[..32], dh));
        byte[] rootOut = HKDF.DeriveKey(HashAlgorithmName.SHA256, dh, 64, sk, Encoding.ASCII.GetBytes("Parley v1 ratchet root"));
        byte[] mk = HMACSHA256.HashData(rootOut[32..], new byte[] { 0x01 });
        byte[] material = HKDF.DeriveKey(HashAlgorithmName.SHA256, mk, 44, [], Encoding.ASCII.GetBytes("Parley v1 message keys"));

        // 5.4: AEAD over the body with ad = AD || prefix || header.
        byte[] body = message[(prefix.Length + 40)..];
        byte[] plaintext = new byte[body.Length - 16];
        using var chacha = new ChaCha20Poly1305(material[..32]);
        byte[] associated = [.. ad, .. prefix, .. header];
        chacha.Decrypt(material[32..], body[..^16], body[^16..], plaintext, associated);
        Assert.Equal("documented", Encoding.UTF8.GetString(plaintext));

        // 5.1: the next chain key is HMAC(CKs, 0x02); the state holds it and not the used one.
        byte[] next = HMACSHA256.HashData(rootOut[32..], new byte[] { 0x02 });
        Assert.True(alice.SendingChain!.Span.SequenceEqual(next));
        Assert.Equal(1u, alice.SendingChain.Index);
    }

    [Fact]
    public void Attachment_chunks_follow_the_documented_layout()
    {
        using var key = AttachmentKey.Generate();
        byte[] rawKey = new byte[32];
        key.CopyTo(rawKey);
        byte[] plaintext = RandomNumberGenerator.GetBytes(AttachmentFormat.MinChunkSize + 10);
        using var encrypted = new MemoryStream();
        new AttachmentEncryptingStream(new MemoryStream(plaintext), key, AeadAlgorithm.Aes256Gcm, AttachmentFormat.MinChunkSize).CopyTo(encrypted);
        byte[] blob = encrypted.ToArray();

        byte[] header = blob[..8];
        Assert.Equal([(byte)'P', (byte)'A', 1, 2, 0, 0, 4, 0], header);
        Assert.Equal(8 + plaintext.Length + (2 * 16), blob.Length);
        using var gcm = new AesGcm(rawKey, 16);
        byte[] first = new byte[AttachmentFormat.MinChunkSize];
        gcm.Decrypt(Nonce(0, final: false), blob.AsSpan(8, first.Length), blob.AsSpan(8 + first.Length, 16), first, header);
        byte[] last = new byte[10];
        int offset = 8 + first.Length + 16;
        gcm.Decrypt(Nonce(1, final: true), blob.AsSpan(offset, 10), blob.AsSpan(offset + 10, 16), last, header);
        Assert.Equal(plaintext, first.Concat(last).ToArray());
    }

    private static byte[] Nonce(ulong index, bool final)
    {
        byte[] nonce = new byte[12];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, index);
        nonce[11] = final ? (byte)1 : (byte)0;
        return nonce;
    }
}
