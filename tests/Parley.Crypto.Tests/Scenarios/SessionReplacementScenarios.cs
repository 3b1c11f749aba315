using Parley.Crypto.Session;
using Parley.Crypto.Tests.Session;

namespace Parley.Crypto.Tests.Scenarios;

public sealed class SessionReplacementScenarios : IDisposable
{
    private readonly SessionParty _alice = new("alice");
    private readonly SessionParty _bob = new("bob");

    public void Dispose()
    {
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void Both_starting_a_session_at_once_converge_on_one_conversation()
    {
        _alice.StartSessionWith(_bob);
        _bob.StartSessionWith(_alice);
        CiphertextMessage fromAlice = _alice.Send(_bob, "hi, I'm first");
        CiphertextMessage fromBob = _bob.Send(_alice, "no, I'm first");
        Assert.Equal("hi, I'm first", _bob.Receive(_alice, fromAlice));
        Assert.Equal("no, I'm first", _alice.Receive(_bob, fromBob));

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal($"a{i}", _bob.Receive(_alice, _alice.Send(_bob, $"a{i}")));
            Assert.Equal($"b{i}", _alice.Receive(_bob, _bob.Send(_alice, $"b{i}")));
        }
    }

    [Fact]
    public void Messages_in_flight_from_a_replaced_session_still_decrypt()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "old session"));
        CiphertextMessage late = _bob.Send(_alice, "sent on the old session");

        _alice.StartSessionWith(_bob);
        Assert.Equal("new session", _bob.Receive(_alice, _alice.Send(_bob, "new session")));
        Assert.Equal("sent on the old session", _alice.Receive(_bob, late));
    }

    [Fact]
    public void At_most_MaxPreviousSessionStates_earlier_sessions_are_kept()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "first"));
        CiphertextMessage oldest = _bob.Send(_alice, "from the first session");
        for (int i = 0; i < SessionLimits.MaxPreviousSessionStates; i++)
        {
            _alice.StartSessionWith(_bob);
        }

        byte[] atLimit = _alice.SessionBytes(_bob)!;
        Assert.Equal(1 + SessionLimits.MaxPreviousSessionStates, atLimit[1]);
        _alice.StartSessionWith(_bob);
        Assert.Equal(1 + SessionLimits.MaxPreviousSessionStates, _alice.SessionBytes(_bob)![1]);
        Assert.Equal(SessionError.InvalidMessage, _alice.Refuse(_bob, oldest.ToArray()));
    }

    [Fact]
    public void One_session_short_of_the_limit_the_oldest_session_still_decrypts()
    {
        _alice.StartSessionWith(_bob);
        _bob.Receive(_alice, _alice.Send(_bob, "first"));
        CiphertextMessage oldest = _bob.Send(_alice, "from the first session");
        for (int i = 0; i < SessionLimits.MaxPreviousSessionStates; i++)
        {
            _alice.StartSessionWith(_bob);
        }

        Assert.Equal("from the first session", _alice.Receive(_bob, oldest));
    }
}
