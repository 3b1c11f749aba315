using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Parley.Client.Calls;

namespace Parley.Client.Tests.Calls;

/// <summary>Fingerprints and SDP shaped like Chromium's (only what the parser and machine look at).</summary>
internal static class TestSdp
{
    public static DtlsFingerprint NewFingerprint() => new(RandomNumberGenerator.GetBytes(DtlsFingerprint.ByteLength));

    public static string For(DtlsFingerprint fingerprint, bool video = true, string extraLines = "") =>
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Wb+u\r\na=ice-pwd:/kGb0Cyi1yIyOJ8uT1JDX7Tu\r\n"
        + "a=fingerprint:" + fingerprint + "\r\na=setup:actpass\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n"
        + (video
            ? "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=fingerprint:" + fingerprint + "\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n"
            : "")
        + extraLines;
}

/// <summary>
/// One side of a call: a machine on a shared fake clock, the effects it produced, and its
/// certificate fingerprint (what its "browser" would report to the other side's getStats).
/// </summary>
internal sealed class CallSide : IDisposable
{
    public CallSide(string name, FakeTimeProvider clock)
    {
        Name = name;
        Machine = new CallStateMachine(clock, Effects.Add);
    }

    public string Name { get; }

    public CallStateMachine Machine { get; }

    public DtlsFingerprint Fingerprint { get; } = TestSdp.NewFingerprint();

    public List<CallEffect> Effects { get; } = [];

    public string Sdp => TestSdp.For(Fingerprint);

    public CallState? State => Machine.Current?.State;

    public IEnumerable<SendCallSignal> Sent => Effects.OfType<SendCallSignal>();

    public IEnumerable<CallRecord> Records => Effects.OfType<CallFinished>().Select(f => f.Record);

    public CallSnapshot? LastEnded => Effects.OfType<CallStateChanged>().Select(c => c.Call).LastOrDefault(c => c.State == CallState.Ended);

    public CallId Call(CallSide callee, CallMedia media = CallMedia.Video)
    {
        Assert.Equal(CallStartResult.Started, Machine.Start(callee.Name, true, media, Sdp, Fingerprint, out var id));
        return id;
    }

    public void Dispose() => Machine.Dispose();
}

/// <summary>
/// Two sides and the encrypted channel between them: each signal a side sends is serialized,
/// parsed again (as the receiver's client would) and handed to the other side, stamped with the
/// server's time of acceptance. Delivery is explicit, so tests choose interleavings.
/// </summary>
internal sealed class CallLine : IDisposable
{
    private readonly Dictionary<string, int> delivered = [];

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public CallLine()
    {
        Alice = new CallSide("alice", Clock);
        Bob = new CallSide("bob", Clock);
    }

    public CallSide Alice { get; }

    public CallSide Bob { get; }

    /// <summary>Delivers everything <paramref name="from"/> has sent and not yet delivered to its addressee; returns the dispositions.</summary>
    public List<SignalDisposition> Deliver(CallSide from, CallSide to, DateTimeOffset? serverTime = null)
    {
        var results = new List<SignalDisposition>();
        var sent = from.Sent.Where(s => s.Peer == to.Name).ToList();
        var key = from.Name + ">" + to.Name;
        for (var i = delivered.GetValueOrDefault(key); i < sent.Count; i++)
        {
            delivered[key] = i + 1;
            Assert.True(CallSignalCodec.TryParse(CallSignalCodec.Write(sent[i].Signal), out var parsed, out var error), error.ToString());
            results.Add(to.Machine.Receive(from.Name, true, parsed, serverTime ?? Clock.GetUtcNow()));
        }
        return results;
    }

    /// <summary>Delivers both ways until nothing new was sent.</summary>
    public void Settle()
    {
        for (var round = 0; round < 16; round++)
        {
            if (Deliver(Alice, Bob).Count + Deliver(Bob, Alice).Count == 0)
            {
                return;
            }
        }
        throw new InvalidOperationException("signalling did not settle in 16 rounds");
    }

    /// <summary>Alice calls Bob, Bob accepts, both media layers connect with the right fingerprints.</summary>
    public CallId Connect()
    {
        var id = Alice.Call(Bob);
        Settle();
        Assert.True(Bob.Machine.Accept(Bob.Sdp, Bob.Fingerprint));
        Settle();
        Assert.True(Alice.Machine.MediaConnected(Bob.Fingerprint));
        Assert.True(Bob.Machine.MediaConnected(Alice.Fingerprint));
        Assert.Equal(CallState.Connected, Alice.State);
        Assert.Equal(CallState.Connected, Bob.State);
        return id;
    }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
