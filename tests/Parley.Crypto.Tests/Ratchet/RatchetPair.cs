using System.Security.Cryptography;
using System.Text;
using Parley.Crypto.Primitives;
using Parley.Crypto.Ratchet;

namespace Parley.Crypto.Tests.Ratchet;

/// <summary>Alice (initiator) and Bob (responder) ratchets from a random shared secret, as the agreement would leave them.</summary>
internal sealed class RatchetPair : IDisposable
{
    internal static readonly byte[] Prefix = [0x01, 0x01, 0x02];

    public RatchetPair(AeadAlgorithm algorithm = AeadAlgorithm.ChaCha20Poly1305, AeadAlgorithm? bobAlgorithm = null)
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        byte[] ad = Encoding.UTF8.GetBytes("alice|bob|identity keys");
        using var bobSignedPreKey = X25519KeyPair.Generate();
        using var root = RootKey.FromBytes(secret);
        Alice = DoubleRatchet.CreateInitiator(root, algorithm, bobSignedPreKey.PublicKey, ad);
        Bob = DoubleRatchet.CreateResponder(root, bobAlgorithm ?? algorithm, bobSignedPreKey, ad);
    }

    public DoubleRatchet Alice { get; set; }

    public DoubleRatchet Bob { get; set; }

    public static byte[] Send(DoubleRatchet from, string text) => from.Encrypt(Prefix, Encoding.UTF8.GetBytes(text));

    public static string Receive(DoubleRatchet to, byte[] message)
    {
        RatchetError error = to.TryDecrypt(message, Prefix.Length, out byte[]? plaintext);
        Assert.Equal(RatchetError.None, error);
        return Encoding.UTF8.GetString(plaintext!);
    }

    public static RatchetError Fail(DoubleRatchet to, byte[] message) => to.TryDecrypt(message, Prefix.Length, out _);

    public static DoubleRatchet RoundTrip(DoubleRatchet state)
    {
        byte[] bytes = state.Serialize();
        Assert.True(DoubleRatchet.TryDeserialize(bytes, out DoubleRatchet? restored));
        Assert.Equal(bytes, restored!.Serialize());
        state.Dispose();
        return restored;
    }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
