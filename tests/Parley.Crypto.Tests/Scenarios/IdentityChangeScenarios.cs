using Parley.Crypto.Fingerprint;
using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Scenarios;

public sealed class IdentityChangeScenarios : IDisposable
{
    private readonly SessionParty _alice = new("alice");
    private readonly SessionParty _bob = new("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void A_server_swapping_Bobs_identity_gets_no_session_and_blocks_sending()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "hello"));
        using var evilBob = new SessionParty("bob");
        byte[]? before = _alice.SessionBytes(_bob);

        var builder = new SessionBuilder(_alice.Identities, _alice.Sessions, "bob");
        Assert.False(builder.TryProcessBundle(evilBob.Bundle(), out SessionError error));
        Assert.Equal(SessionError.UntrustedIdentity, error);
        Assert.Equal(before, _alice.SessionBytes(_bob));

        // Safety numbers differ, so a comparison would reveal the swap.
        Assert.NotEqual(Numbers(_alice, _bob).Digits, Numbers(_alice, evilBob).Digits);
    }

    [Fact]
    public void A_prekey_message_from_a_changed_identity_is_refused_until_the_user_accepts_it()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "hello"));

        using var newAlice = new SessionParty("alice");
        newAlice.StartSessionWith(_bob);
        byte[] fromNewDevice = newAlice.Send(_bob, "I reinstalled").ToArray();
        byte[]? before = _bob.SessionBytes(_alice);
        Assert.Equal(SessionError.UntrustedIdentity, _bob.Refuse(_alice, fromNewDevice));
        Assert.Equal(before, _bob.SessionBytes(_alice));

        // The client shows the new safety number from the message's claimed identity; the user accepts it.
        Assert.True(MessageFormat.TryReadPreKeySender(fromNewDevice, out string? claimedAccount, out var claimedIdentity));
        Assert.Equal("alice", claimedAccount);
        Assert.Equal(newAlice.IdentityKey, claimedIdentity);
        Assert.False(MessageFormat.TryReadPreKeySender(_bob.Send(_alice, "ratchet message").ToArray(), out _, out _));
        _bob.Identities.SaveRemoteIdentity("alice", claimedIdentity);
        Assert.Equal("I reinstalled", _bob.Receive(_alice, fromNewDevice));
    }

    [Fact]
    public void Sending_is_blocked_when_the_trusted_key_no_longer_matches_the_session()
    {
        _alice.StartSessionWith(_bob);
        using var other = new SessionParty("bob");
        _alice.Identities.SaveRemoteIdentity("bob", other.IdentityKey);
        var error = Assert.Throws<SessionException>(() => _alice.Send(_bob, "x"));
        Assert.Equal(SessionError.UntrustedIdentity, error.Error);
    }

    [Fact]
    public void Both_sides_compute_the_same_safety_number_from_their_stores()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "hello"));
        SafetyNumber aliceView = SafetyNumber.Create(FingerprintIdentity.From(_alice.AccountId, _alice.IdentityKey),
            FingerprintIdentity.From("bob", _alice.Identities.GetRemoteIdentity("bob")!));
        SafetyNumber bobView = SafetyNumber.Create(FingerprintIdentity.From(_bob.AccountId, _bob.IdentityKey),
            FingerprintIdentity.From("alice", _bob.Identities.GetRemoteIdentity("alice")!));
        Assert.Equal(aliceView.Digits, bobView.Digits);
        Assert.Equal(ScannedSafetyNumberResult.Match, aliceView.CompareScanned(bobView.ToQrPayload()));
    }

    private static SafetyNumber Numbers(SessionParty local, SessionParty remote) =>
        SafetyNumber.Create(FingerprintIdentity.From(local.AccountId, local.IdentityKey), FingerprintIdentity.From(remote.AccountId, remote.IdentityKey));
}
