using Parley.Client.Calls;

namespace Parley.Client.Tests.Calls;

/// <summary>
/// Glare: Alice and Bob call each other at once. The call with the smaller id wins on both sides;
/// the loser's own call is dropped without a history entry and the winner's is answered at once.
/// </summary>
public sealed class GlareScenarios : IDisposable
{
    private readonly CallLine line = new();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Crossing_offers_end_in_one_call_the_one_with_the_smaller_id(bool aliceOfferArrivesFirst)
    {
        var a = line.Alice.Call(line.Bob);
        var b = line.Bob.Call(line.Alice);
        if (aliceOfferArrivesFirst)
        {
            line.Deliver(line.Alice, line.Bob);
            line.Deliver(line.Bob, line.Alice);
        }
        else
        {
            line.Deliver(line.Bob, line.Alice);
            line.Deliver(line.Alice, line.Bob);
        }
        var (winner, winnerSide, loserSide) = a < b ? (a, line.Alice, line.Bob) : (b, line.Bob, line.Alice);

        Assert.Equal((winner, CallState.Outgoing), (winnerSide.Machine.Current!.CallId, winnerSide.State));
        Assert.Equal((winner, CallState.Incoming), (loserSide.Machine.Current!.CallId, loserSide.State));
        Assert.Contains(new AnswerAutomatically(winner), loserSide.Effects);
        Assert.Equal(CallEndReason.Superseded, loserSide.LastEnded!.EndReason);
        Assert.DoesNotContain(winnerSide.Effects, e => e is AnswerAutomatically);

        Assert.True(loserSide.Machine.Accept(loserSide.Sdp, loserSide.Fingerprint));
        line.Settle();
        Assert.True(winnerSide.Machine.MediaConnected(loserSide.Fingerprint));
        Assert.True(loserSide.Machine.MediaConnected(winnerSide.Fingerprint));
        Assert.Equal(CallState.Connected, winnerSide.State);
        Assert.Equal(CallState.Connected, loserSide.State);
        Assert.Empty(winnerSide.Records);
        Assert.Empty(loserSide.Records); // the superseded call leaves no history entry
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Ids_one_apart_decide_the_glare_by_order(int offset)
    {
        var mine = line.Alice.Call(line.Bob);
        var theirs = new CallId(offset < 0 ? mine.Value - 1 : mine.Value + 1);
        var offer = new CallOffer(theirs, CallMedia.Audio, line.Bob.Sdp, line.Bob.Fingerprint);

        var disposition = line.Alice.Machine.Receive("bob", true, offer, line.Clock.GetUtcNow());

        if (offset < 0)
        {
            Assert.Equal(SignalDisposition.Applied, disposition);
            Assert.Equal((theirs, CallState.Incoming, CallMedia.Audio), (line.Alice.Machine.Current!.CallId, line.Alice.State, line.Alice.Machine.Current.Media));
            Assert.Contains(new AnswerAutomatically(theirs), line.Alice.Effects);
        }
        else
        {
            Assert.Equal(SignalDisposition.Ignored, disposition);
            Assert.Equal((mine, CallState.Outgoing), (line.Alice.Machine.Current!.CallId, line.Alice.State));
            Assert.Single(line.Alice.Sent); // no reply to the losing offer
        }
    }

    [Fact]
    public void An_offer_from_the_same_contact_after_the_accept_is_busy_not_glare()
    {
        var id = line.Connect();
        var other = new CallOffer(new CallId(id.Value == 0 ? 1 : id.Value - 1), CallMedia.Audio, line.Bob.Sdp, line.Bob.Fingerprint);
        Assert.Equal(SignalDisposition.Applied, line.Alice.Machine.Receive("bob", true, other, line.Clock.GetUtcNow()));
        Assert.Equal((id, CallState.Connected), (line.Alice.Machine.Current!.CallId, line.Alice.State));
        Assert.Equal(CallSignalType.Busy, line.Alice.Sent.Last().Signal.Type);
    }

    /// <summary>
    /// The page cancels its own call after the daemon already replaced it with the contact's winning
    /// call (glare), and names the call it meant: the contact's call must ring on, neither declined nor
    /// accepted by a request meant for the superseded one.
    /// </summary>
    [Fact]
    public void A_hangup_decline_or_accept_naming_the_superseded_call_leaves_the_winning_call_alone()
    {
        var mine = line.Alice.Call(line.Bob);
        var theirs = new CallId(mine.Value - 1);
        line.Alice.Machine.Receive("bob", true, new CallOffer(theirs, CallMedia.Audio, line.Bob.Sdp, line.Bob.Fingerprint), line.Clock.GetUtcNow());
        var sent = line.Alice.Sent.Count();

        Assert.False(line.Alice.Machine.HangUp(mine));
        Assert.False(line.Alice.Machine.Decline(mine));
        Assert.False(line.Alice.Machine.Accept(line.Alice.Sdp, line.Alice.Fingerprint, mine));

        Assert.Equal((theirs, CallState.Incoming), (line.Alice.Machine.Current!.CallId, line.Alice.State));
        Assert.Equal(sent, line.Alice.Sent.Count()); // no decline, no accept went out
        Assert.True(line.Alice.Machine.Accept(line.Alice.Sdp, line.Alice.Fingerprint, theirs));
        Assert.Equal(CallState.Connecting, line.Alice.State);
        Assert.True(line.Alice.Machine.HangUp(theirs));
        Assert.Null(line.Alice.Machine.Current);
    }

    public void Dispose() => line.Dispose();
}
