using Parley.Crypto.Bundles;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Scenarios;

public sealed class SessionSetupScenarios : IDisposable
{
    private readonly SessionParty _alice = new("alice");
    private readonly SessionParty _bob = new("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void Setup_with_one_time_prekeys_consumes_them_and_switches_to_ratchet_messages_after_the_reply()
    {
        _alice.StartSessionWith(_bob);
        Assert.Equal(1, _bob.PreKeys.OneTimePreKeyCount);
        Assert.Equal(2, _bob.PreKeys.KemPreKeyCount);

        CiphertextMessage first = _alice.Send(_bob, "hello Bob");
        Assert.Equal(CiphertextMessageType.PreKey, first.Type);
        Assert.Equal("hello Bob", _bob.Receive(_alice, first));
        Assert.Equal(0, _bob.PreKeys.OneTimePreKeyCount);
        Assert.Equal(1, _bob.PreKeys.KemPreKeyCount);
        Assert.Equal(IdentityTrust.Trusted, _bob.Identities.GetTrust("alice", _alice.IdentityKey));

        CiphertextMessage reply = _bob.Send(_alice, "hi Alice");
        Assert.Equal(CiphertextMessageType.Ratchet, reply.Type);
        Assert.Equal("hi Alice", _alice.Receive(_bob, reply));
        CiphertextMessage next = _alice.Send(_bob, "how are you");
        Assert.Equal(CiphertextMessageType.Ratchet, next.Type);
        Assert.Equal("how are you", _bob.Receive(_alice, next));
    }

    [Fact]
    public void Messages_follow_the_documented_envelope()
    {
        _alice.StartSessionWith(_bob);
        byte[] first = _alice.Send(_bob, "x").ToArray();
        Assert.Equal(new byte[] { 1, 1, 1 }, first[..3]);
        int headerLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(3));
        Assert.True(Parley.Crypto.Agreement.InitialMessageHeader.TryParse(first.AsSpan(5, headerLength), out var header));
        Assert.Equal("alice", header.InitiatorAccountId);
        Assert.Equal(5 + headerLength + 40 + 1 + 16, first.Length);

        _bob.Receive(_alice, first);
        byte[] reply = _bob.Send(_alice, "yz").ToArray();
        Assert.Equal(new byte[] { 1, 1, 2 }, reply[..3]);
        Assert.Equal(3 + 40 + 2 + 16, reply.Length);
    }

    [Fact]
    public void Setup_without_one_time_prekeys_uses_the_last_resort_key_and_keeps_it()
    {
        _alice.StartSessionWith(_bob, oneTimePreKey: false, oneTimeKemPreKey: false);
        Assert.Equal("hello", _bob.Receive(_alice, _alice.Send(_bob, "hello")));
        Assert.Equal(1, _bob.PreKeys.KemPreKeyCount);
        Assert.NotNull(_bob.PreKeys.GetKemPreKey(_bob.LastResort.Id));
        Assert.Equal("hi", _alice.Receive(_bob, _bob.Send(_alice, "hi")));
    }

    [Fact]
    public void Several_prekey_messages_before_the_reply_decrypt_in_any_order()
    {
        _alice.StartSessionWith(_bob);
        CiphertextMessage[] sent = [.. Enumerable.Range(0, 4).Select(i => _alice.Send(_bob, $"m{i}"))];
        Assert.All(sent, m => Assert.Equal(CiphertextMessageType.PreKey, m.Type));
        Assert.Equal("m2", _bob.Receive(_alice, sent[2]));
        Assert.Equal("m0", _bob.Receive(_alice, sent[0]));
        Assert.Equal("m3", _bob.Receive(_alice, sent[3]));
        Assert.Equal("m1", _bob.Receive(_alice, sent[1]));
    }

    [Theory]
    [InlineData(new[] { CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256 }, CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256)]
    [InlineData(new[] { CipherSuite.X25519MlKem1024Aes256GcmSha256 }, CipherSuite.X25519MlKem1024Aes256GcmSha256)]
    public void The_suite_comes_from_the_signed_list_and_is_in_every_message(CipherSuite[] bobSupports, CipherSuite expected)
    {
        _bob.Suites = SignedSuiteList.Create(_bob.Identities.GetIdentityKeyPair(), bobSupports);
        _alice.StartSessionWith(_bob);
        CiphertextMessage first = _alice.Send(_bob, "x");
        Assert.Equal((byte)expected, first.Bytes.Span[1]);
        _bob.Receive(_alice, first);
        Assert.Equal((byte)expected, _bob.Send(_alice, "y").Bytes.Span[1]);
    }

    [Fact]
    public void A_message_relabelled_with_another_suite_is_refused()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "x"));
        Assert.Equal("y", _alice.Receive(_bob, _bob.Send(_alice, "y")));
        byte[] message = _alice.Send(_bob, "z").ToArray();
        message[1] = (byte)CipherSuite.X25519MlKem1024Aes256GcmSha256;
        Assert.Equal(SessionError.InvalidMessage, _bob.Refuse(_alice, message));
    }

    [Fact]
    public void No_common_suite_means_no_session()
    {
        _bob.Suites = SignedSuiteList.Create(_bob.Identities.GetIdentityKeyPair(), [CipherSuite.X25519MlKem1024Aes256GcmSha256]);
        var builder = new SessionBuilder(_alice.Identities, _alice.Sessions, "bob");
        Assert.False(builder.TryProcessBundle(_bob.Bundle(), out SessionError error, [CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256]));
        Assert.Equal(SessionError.NoCommonCipherSuite, error);
        Assert.Null(_alice.SessionBytes(_bob));
    }

    [Fact]
    public void A_bundle_for_another_account_or_with_a_broken_signature_means_no_session()
    {
        var builder = new SessionBuilder(_alice.Identities, _alice.Sessions, "carol");
        Assert.False(builder.TryProcessBundle(_bob.Bundle(), out SessionError error));
        Assert.Equal(SessionError.InvalidPreKeyBundle, error);

        byte[] bytes = _bob.Bundle().Serialize();
        bytes[^1] ^= 0x01;
        if (PreKeyBundle.TryParse(bytes, out PreKeyBundle? broken))
        {
            Assert.False(new SessionBuilder(_alice.Identities, _alice.Sessions, "bob").TryProcessBundle(broken, out error));
            Assert.Equal(SessionError.InvalidPreKeyBundle, error);
        }

        Assert.Null(_alice.SessionBytes(_bob));
        Assert.Null(_alice.Identities.GetRemoteIdentity("bob"));
    }

    [Fact]
    public void A_bundle_with_any_flipped_signature_bit_never_yields_a_session()
    {
        PreKeyBundle original = _bob.Bundle();
        byte[] bytes = original.Serialize();
        byte[][] signatures =
        [
            original.IdentityKey.Signature.ToArray(), original.SignedPreKey.Signature.ToArray(),
            original.KemPreKey.Signature.ToArray(), bytes[^64..],
        ];
        var builder = new SessionBuilder(_alice.Identities, _alice.Sessions, "bob");
        foreach (byte[] signature in signatures)
        {
            int offset = bytes.AsSpan().IndexOf(signature);
            Assert.True(offset > 0);
            for (int bit = 0; bit < signature.Length * 8; bit++)
            {
                byte[] flipped = (byte[])bytes.Clone();
                flipped[offset + (bit / 8)] ^= (byte)(1 << (bit % 8));
                if (PreKeyBundle.TryParse(flipped, out PreKeyBundle? bundle))
                {
                    Assert.False(builder.TryProcessBundle(bundle, out SessionError error));
                    Assert.Equal(SessionError.InvalidPreKeyBundle, error);
                }
            }
        }

        Assert.Null(_alice.SessionBytes(_bob));
        Assert.Null(_alice.Identities.GetRemoteIdentity("bob"));
        Assert.True(builder.TryProcessBundle(original, out _));
    }

    [Fact]
    public void Without_a_session_nothing_can_be_sent_or_received()
    {
        var error = Assert.Throws<SessionException>(() => _alice.Send(_bob, "x"));
        Assert.Equal(SessionError.NoSession, error.Error);

        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "x"));
        using var carol = new SessionParty("carol");
        byte[] ratchetMessage = _bob.Send(_alice, "y").ToArray();
        Assert.Equal(SessionError.NoSession, carol.Refuse(_bob, ratchetMessage));
    }

    [Fact]
    public void The_responder_consumes_nothing_and_stores_nothing_for_a_message_that_fails()
    {
        _alice.StartSessionWith(_bob);
        byte[] first = _alice.Send(_bob, "hello").ToArray();
        first[^1] ^= 1;
        Assert.Equal(SessionError.InvalidMessage, _bob.Refuse(_alice, first));
        Assert.Equal(1, _bob.PreKeys.OneTimePreKeyCount);
        Assert.Equal(2, _bob.PreKeys.KemPreKeyCount);
        Assert.Null(_bob.SessionBytes(_alice));
        Assert.Null(_bob.Identities.GetRemoteIdentity("alice"));
    }

    [Fact]
    public void Sessions_with_many_contacts_are_independent()
    {
        using var carol = new SessionParty("carol");
        _alice.StartSessionWith(_bob);
        _alice.StartSessionWith(carol);
        CiphertextMessage toBob = _alice.Send(_bob, "for bob");
        CiphertextMessage toCarol = _alice.Send(carol, "for carol");
        Assert.Equal("for carol", carol.Receive(_alice, toCarol));
        Assert.Equal("for bob", _bob.Receive(_alice, toBob));
        Assert.Contains(carol.Refuse(_alice, toBob.ToArray()), new[] { SessionError.InvalidMessage, SessionError.UnknownPreKey });
    }
}
