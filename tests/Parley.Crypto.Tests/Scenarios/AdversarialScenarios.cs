using System.Security.Cryptography;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Scenarios;

public sealed class AdversarialScenarios : IDisposable
{
    private readonly SessionParty _alice = new("alice");
    private readonly SessionParty _bob = new("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    private static (string? Session, int OneTime, int Kem, bool Trusted) Snapshot(SessionParty party, SessionParty peer) =>
        (party.SessionBytes(peer) is { } bytes ? Convert.ToHexString(bytes) : null, party.PreKeys.OneTimePreKeyCount, party.PreKeys.KemPreKeyCount,
            party.Identities.GetRemoteIdentity(peer.AccountId) is not null);

    [Fact]
    public void An_initial_message_re_addressed_to_another_account_fails()
    {
        using var carol = new SessionParty("carol");
        _ = carol.Bundle();
        _alice.StartSessionWith(_bob);
        byte[] first = _alice.Send(_bob, "for Bob only").ToArray();

        // Carol holds prekeys with the very ids Alice used for Bob, so only the AD and the keys differ.
        var before = Snapshot(carol, _alice);
        Assert.Contains(carol.Refuse(_alice, first), new[] { SessionError.InvalidMessage, SessionError.UnknownPreKey });
        Assert.Equal(before, Snapshot(carol, _alice));

        // Mallory re-sends it to Bob as his own: the header names Alice, so Bob refuses it.
        using var mallory = new SessionParty("mallory");
        Assert.Equal(SessionError.InvalidMessage, _bob.Refuse(mallory, first));
        Assert.Null(_bob.SessionBytes(mallory));
        Assert.Equal("for Bob only", _bob.Receive(_alice, first));
    }

    [Fact]
    public void A_replay_of_any_message_is_rejected_without_state_change()
    {
        _alice.StartSessionWith(_bob, oneTimePreKey: false, oneTimeKemPreKey: false);
        var fromAlice = new List<byte[]>();
        var fromBob = new List<byte[]>();
        for (int turn = 0; turn < 5; turn++)
        {
            fromAlice.Add(_alice.Send(_bob, $"a{turn}").ToArray());
            _bob.Receive(_alice, fromAlice[^1]);
            fromBob.Add(_bob.Send(_alice, $"b{turn}").ToArray());
            _alice.Receive(_bob, fromBob[^1]);
        }

        var bobBefore = Snapshot(_bob, _alice);
        foreach (byte[] replay in fromAlice)
        {
            Assert.Equal(SessionError.DuplicateMessage, _bob.Refuse(_alice, replay));
            Assert.Equal(bobBefore, Snapshot(_bob, _alice));
        }

        var aliceBefore = Snapshot(_alice, _bob);
        foreach (byte[] replay in fromBob)
        {
            Assert.Equal(SessionError.DuplicateMessage, _alice.Refuse(_bob, replay));
            Assert.Equal(aliceBefore, Snapshot(_alice, _bob));
        }
    }

    [Fact]
    public void Messages_reflected_back_to_their_sender_are_refused()
    {
        _alice.StartSessionWith(_bob);
        byte[] first = _alice.Send(_bob, "hello").ToArray();
        _bob.Receive(_alice, first);
        _alice.Receive(_bob, _bob.Send(_alice, "hi"));
        byte[] later = _alice.Send(_bob, "later").ToArray();
        var before = Snapshot(_alice, _bob);
        Assert.NotEqual(SessionError.None, _alice.Refuse(_bob, first));
        Assert.NotEqual(SessionError.None, _alice.Refuse(_bob, later));
        Assert.Equal(before, Snapshot(_alice, _bob));
        Assert.Equal("later", _bob.Receive(_alice, later));
    }

    [Fact]
    public void A_replayed_initial_message_after_a_newer_session_creates_nothing()
    {
        _alice.StartSessionWith(_bob, oneTimePreKey: false, oneTimeKemPreKey: false);
        byte[] first = _alice.Send(_bob, "first session").ToArray();
        _bob.Receive(_alice, first);
        _alice.StartSessionWith(_bob, oneTimePreKey: false, oneTimeKemPreKey: false);
        _bob.Receive(_alice, _alice.Send(_bob, "second session"));

        var before = Snapshot(_bob, _alice);
        Assert.Equal(SessionError.DuplicateMessage, _bob.Refuse(_alice, first));
        Assert.Equal(before, Snapshot(_bob, _alice));
    }

    [Fact]
    public void A_replayed_initial_message_whose_one_time_prekey_is_gone_is_refused()
    {
        _alice.StartSessionWith(_bob);
        byte[] first = _alice.Send(_bob, "once").ToArray();
        _bob.Receive(_alice, first);
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "new session"));
        Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, first));
    }

    [Fact]
    public void After_1000_tampered_messages_every_genuine_message_decrypts_and_the_state_is_byte_identical()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "start"));
        _alice.Receive(_bob, _bob.Send(_alice, "ok"));
        var genuine = new List<(byte[] Bytes, string Text)>();
        for (int i = 0; i < 20; i++)
        {
            genuine.Add((_alice.Send(_bob, $"genuine {i}").ToArray(), $"genuine {i}"));
        }

        byte[] otherSessionMessage = NewSessionMessage();
        var bobBefore = Snapshot(_bob, _alice);
        for (int i = 0; i < 1000; i++)
        {
            byte[] forged = Tamper(genuine[i % genuine.Count].Bytes, otherSessionMessage, i);
            Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, forged));
            Assert.Equal(bobBefore, Snapshot(_bob, _alice));
        }

        // Half from the live cipher, half after a restart from the stored bytes alone.
        int index = 0;
        foreach ((byte[] bytes, string text) in genuine.AsEnumerable().Reverse())
        {
            if (index++ == genuine.Count / 2)
            {
                byte[] stored = _bob.SessionBytes(_alice)!;
                _bob.Sessions = new InMemorySessionStore();
                _bob.Sessions.StoreSession("alice", stored);
            }

            Assert.Equal(text, _bob.Receive(_alice, bytes));
        }
    }

    private byte[] NewSessionMessage()
    {
        using var eve = new SessionParty("alice");
        eve.StartSessionWith(_bob);
        return eve.Send(_bob, "from an impostor with a fresh base key").ToArray();
    }

    private static byte[] Tamper(byte[] genuine, byte[] foreign, int round)
    {
        byte[] forged = (byte[])genuine.Clone();
        switch (round % 6)
        {
            case 0:
                int bit = RandomNumberGenerator.GetInt32(forged.Length * 8);
                forged[bit / 8] ^= (byte)(1 << (bit % 8));
                return forged;
            case 1:
                return genuine[..RandomNumberGenerator.GetInt32(genuine.Length)];
            case 2:
                return RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(1, 200));
            case 3:
                // A fresh (valid, random) ratchet key in the header: forces a tentative DH step.
                using (var key = Parley.Crypto.Primitives.X25519KeyPair.Generate())
                {
                    key.PublicKey.CopyTo(forged.AsSpan(3));
                }

                return forged;
            case 4:
                forged.AsSpan(3 + 32, 8).Fill(0xFF);
                return forged;
            default:
                return round % 12 == 5 ? foreign : [.. genuine, .. RandomNumberGenerator.GetBytes(5)];
        }
    }

    [Fact]
    public void Malformed_bytes_and_every_truncation_never_throw_and_change_nothing()
    {
        _alice.StartSessionWith(_bob);
        byte[] first = _alice.Send(_bob, "x").ToArray();
        var before = Snapshot(_bob, _alice);
        for (int length = 0; length < first.Length; length++)
        {
            Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, first[..length]));
        }

        for (int i = 0; i < 300; i++)
        {
            byte[] garbage = RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 2000));
            if (garbage.Length > 2)
            {
                garbage[0] = 1;
                garbage[1] = (byte)(1 + (i % 2));
                garbage[2] = (byte)(1 + (i / 2 % 2));
            }

            Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, garbage));
        }

        Assert.Equal(before, Snapshot(_bob, _alice));
    }
}
