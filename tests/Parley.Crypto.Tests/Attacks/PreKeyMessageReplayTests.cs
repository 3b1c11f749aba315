using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Attacks;

/// <summary>
/// attacks.md row 6 (P0), replay of the initial PreKey message (X3DH §4.2–4.3; libsignal 15af92c;
/// Threema paper): Alice's first message, sent on the last-resort path (no one-time prekey, so nothing
/// is consumed that would make a replay fail by itself), is re-injected (a) at once, (b) after Bob
/// restarts, (c) after so many newer sessions that the original state left Bob's record, and (d) as
/// if sent by Mallory. It is shown once; every replay is refused and creates no session.
/// </summary>
public sealed class PreKeyMessageReplayTests : IDisposable
{
    private readonly SessionParty _alice = new("alice");
    private readonly SessionParty _bob = new("bob");
    private readonly SessionParty _mallory = new("mallory");

    [Fact]
    public void A_last_resort_prekey_message_is_accepted_once_whatever_happens_in_between()
    {
        _alice.StartSessionWith(_bob, oneTimePreKey: false, oneTimeKemPreKey: false);
        var first = _alice.Send(_bob, "first").ToArray();
        Assert.Equal("first", _bob.Receive(_alice, first));

        Assert.Equal(SessionError.DuplicateMessage, _bob.Refuse(_alice, first));   // (a)
        RestartBob();
        Assert.Equal(SessionError.DuplicateMessage, _bob.Refuse(_alice, first));   // (b)

        for (var i = 0; i <= SessionLimits.MaxPreviousSessionStates + 1; i++)
        {
            _alice.StartSessionWith(_bob, oneTimePreKey: false, oneTimeKemPreKey: false);
            Assert.Equal("newer " + i, _bob.Receive(_alice, _alice.Send(_bob, "newer " + i)));
        }

        var record = _bob.SessionBytes(_alice);
        Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, first));            // (c)
        RestartBob();
        Assert.NotEqual(SessionError.None, _bob.Refuse(_alice, first));
        Assert.Equal(record, _bob.SessionBytes(_alice));

        Assert.Equal(SessionError.InvalidMessage, _bob.Refuse(_mallory, first));   // (d)
        Assert.Null(_bob.SessionBytes(_mallory));
    }

    private void RestartBob()
    {
        var persisted = new InMemorySessionStore();
        persisted.StoreSession("alice", _bob.SessionBytes(_alice)!);
        _bob.Sessions = persisted; // new ciphers, caches dropped; prekey store (with used base keys) kept
    }

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
        _mallory.Dispose();
    }
}
