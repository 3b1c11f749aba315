using Parley.Crypto.Bundles;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 34 (P1), downgrade (strip PQ, old version, legacy flag; libsignal
/// x3dh_prekey_rejected_as_invalid_message_specifically): a network attacker rewrites the version
/// byte, the suite byte, the message type or the initial header's version of Alice's first message
/// to every other value. Bob refuses each rewrite, creates no session and consumes no prekey, and the
/// genuine message still starts the session. A suite the responder did not sign is never used.
/// </summary>
public sealed class DowngradeTests : IDisposable
{
    private readonly SessionParty _alice = new("alice");
    private readonly SessionParty _bob = new("bob");

    [Fact]
    public void Every_rewrite_of_version_suite_type_or_header_version_is_refused_without_a_session()
    {
        _alice.StartSessionWith(_bob);
        var genuine = _alice.Send(_bob, "hello").ToArray();
        var headerVersionOffset = 5; // version, suite, type, header length (2), then the header's own version byte
        var counts = (_bob.PreKeys.OneTimePreKeyCount, _bob.PreKeys.KemPreKeyCount);
        foreach (var offset in (int[])[0, 1, 2, headerVersionOffset])
        {
            for (var value = 0; value < 256; value++)
            {
                if (value == genuine[offset])
                {
                    continue;
                }

                var rewritten = (byte[])genuine.Clone();
                rewritten[offset] = (byte)value;
                Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, rewritten));
                Assert.Null(_bob.SessionBytes(_alice));
                Assert.Equal(counts, (_bob.PreKeys.OneTimePreKeyCount, _bob.PreKeys.KemPreKeyCount));
            }
        }

        Assert.Equal("hello", _bob.Receive(_alice, genuine));
    }

    [Fact]
    public void Ratchet_messages_rewritten_to_another_version_or_suite_are_refused_and_change_nothing()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "x"));
        _alice.Receive(_bob, _bob.Send(_alice, "y"));
        var genuine = _alice.Send(_bob, "z").ToArray();
        var session = _bob.SessionBytes(_alice);
        foreach (var offset in (int[])[0, 1, 2])
        {
            for (var value = 0; value < 256; value++)
            {
                if (value != genuine[offset])
                {
                    var rewritten = (byte[])genuine.Clone();
                    rewritten[offset] = (byte)value;
                    Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, rewritten));
                    Assert.Equal(session, _bob.SessionBytes(_alice));
                }
            }
        }

        Assert.Equal("z", _bob.Receive(_alice, genuine));
    }

    [Fact]
    public void A_suite_the_responder_did_not_sign_is_never_chosen_whatever_the_initiator_prefers()
    {
        _bob.Suites = SignedSuiteList.Create(_bob.Identities.GetIdentityKeyPair(), [CipherSuite.X25519MlKem1024Aes256GcmSha256]);
        var builder = new SessionBuilder(_alice.Identities, _alice.Sessions, "bob");
        Assert.True(builder.TryProcessBundle(_bob.Bundle(), out var error,
            [CipherSuite.X25519MlKem1024ChaCha20Poly1305Sha256, CipherSuite.X25519MlKem1024Aes256GcmSha256]), error.ToString());
        var first = _alice.Send(_bob, "x");
        Assert.Equal((byte)CipherSuite.X25519MlKem1024Aes256GcmSha256, first.Bytes.Span[1]);
        Assert.Equal("x", _bob.Receive(_alice, first));
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }
}
