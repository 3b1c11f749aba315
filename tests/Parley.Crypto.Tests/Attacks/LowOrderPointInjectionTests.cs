using System.Text.Json;
using Parley.Crypto.Primitives;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Infrastructure;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 4 (P0), low-order or non-canonical X25519 points (Wycheproof LowOrderPublic /
/// ZeroSharedSecret; libsignal test_bob_rejects_torsioned_basekey): every public value of
/// x25519_test.json whose shared secret is all zero is injected by a modified client as the base
/// (ephemeral) key of a PreKey message and as the ratchet key of a ratchet message. Each is
/// refused: no session, no prekey consumed, the existing session byte-identical; and the key
/// agreement itself never returns an all-zero secret for them.
/// </summary>
public sealed class LowOrderPointInjectionTests
{
    public static TheoryData<string> ZeroSharedPoints()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(VectorPaths.Wycheproof("x25519_test.json")));
        var points = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                if (test.GetProperty("shared").GetString() == new string('0', 64))
                {
                    points.Add(test.GetProperty("public").GetString()!);
                }
            }
        }

        Assert.True(points.Count >= 12, "the vector file lost its low-order cases");
        var data = new TheoryData<string>();
        foreach (var point in points)
        {
            data.Add(point);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ZeroSharedPoints))]
    public void A_low_order_base_key_in_a_prekey_message_creates_no_session(string pointHex)
    {
        var point = Convert.FromHexString(pointHex);
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        var genuine = alice.Send(bob, "hi").ToArray();
        Assert.True(MessageFormat.TryParse(genuine, out var envelope));
        var at = genuine.AsSpan().IndexOf(envelope.InitialHeader!.EphemeralKey);
        Assert.True(at > 0);
        var forged = (byte[])genuine.Clone();
        point.CopyTo(forged, at);
        var counts = (bob.PreKeys.OneTimePreKeyCount, bob.PreKeys.KemPreKeyCount);

        Assert.NotEqual(SessionError.None, bob.Refuse(alice, forged));
        Assert.Null(bob.SessionBytes(alice));
        Assert.Equal(counts, (bob.PreKeys.OneTimePreKeyCount, bob.PreKeys.KemPreKeyCount));
        Assert.Equal("hi", bob.Receive(alice, genuine));
    }

    [Theory]
    [MemberData(nameof(ZeroSharedPoints))]
    public void A_low_order_ratchet_key_changes_no_session_state(string pointHex)
    {
        var point = Convert.FromHexString(pointHex);
        using var alice = new SessionParty("alice");
        using var bob = new SessionParty("bob");
        alice.StartSessionWith(bob);
        bob.Receive(alice, alice.Send(bob, "x"));
        alice.Receive(bob, bob.Send(alice, "y"));
        var genuine = alice.Send(bob, "z").ToArray();
        Assert.True(MessageFormat.TryParse(genuine, out var envelope));
        var forged = (byte[])genuine.Clone();
        point.CopyTo(forged, envelope.PrefixLength);
        var session = bob.SessionBytes(alice);

        Assert.NotEqual(SessionError.None, bob.Refuse(alice, forged));
        Assert.Equal(session, bob.SessionBytes(alice));
        Assert.Equal("z", bob.Receive(alice, genuine));
    }

    [Theory]
    [MemberData(nameof(ZeroSharedPoints))]
    public void Agreement_with_a_low_order_point_fails_instead_of_returning_zeros(string pointHex)
    {
        using var pair = X25519KeyPair.Generate();
        var secret = new byte[32];
        Assert.False(X25519.IsAcceptablePublicKey(Convert.FromHexString(pointHex)));
        Assert.False(pair.TryAgree(Convert.FromHexString(pointHex), secret));
        Assert.All(secret, b => Assert.Equal(0, b));
    }
}
