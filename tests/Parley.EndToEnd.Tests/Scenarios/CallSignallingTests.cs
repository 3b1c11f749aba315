using System.Security.Cryptography;
using System.Threading.Channels;
using Parley.Client;
using Parley.Client.Calls;
using Parley.Client.Errors;
using Parley.Client.Messaging;
using Parley.Client.Profiles;
using Parley.Client.Storage;
using Parley.Client.Transport;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>
/// Call signalling through the real server (PROTOCOL.md 10B): signals travel as encrypted messages
/// between two contacts' clients, their state machines agree, history records every call; strangers
/// cannot ring; an offer that waited 60 s or more while the callee was offline is a missed call. The
/// "browser" here is the test: it hands SDP in and reports the fingerprints getStats would show.
/// </summary>
public sealed class CallSignallingTests
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_video_call_rings_is_accepted_connects_and_both_histories_record_it()
    {
        await using var world = await World.StartAsync();
        await using var alice = await CallParty.RegisterAsync(world, "alice");
        await using var bob = await CallParty.RegisterAsync(world, "bob");
        await CallParty.BefriendAsync(alice, bob);

        var id = await alice.Client.Calls.StartAsync("bob", CallMedia.Video, alice.Sdp, CancellationToken.None).WaitAsync(EventWait);
        var offer = await bob.WaitAsync(u => u.Kind == CallUpdateKind.RemoteDescription);
        Assert.Equal(id, offer.CallId);
        Assert.Equal(alice.Fingerprint, offer.Description!.Fingerprint);
        Assert.Equal(CallState.Incoming, (await bob.WaitAsync(u => u.Snapshot?.State == CallState.Incoming)).Snapshot!.State);
        Assert.True((await alice.WaitAsync(u => u.Snapshot?.PeerRinging == true)).Snapshot!.PeerRinging);
        Assert.Equal(offer.Description.Sdp, bob.Client.Calls.RingingOffer!.Sdp); // a browser that opens late gets the offer

        bob.Client.Calls.Accept(id, bob.Sdp);
        var accept = await alice.WaitAsync(u => u.Kind == CallUpdateKind.RemoteDescription);
        Assert.Equal(bob.Fingerprint, accept.Description!.Fingerprint);
        alice.Client.Calls.SendCandidates(id, [new IceCandidate("candidate:1 1 udp 1 127.0.0.1 50000 typ relay", "0", 0)]);
        var candidates = await bob.WaitAsync(u => u.Kind == CallUpdateKind.RemoteCandidates);
        Assert.Equal("candidate:1 1 udp 1 127.0.0.1 50000 typ relay", Assert.Single(candidates.Candidates!).Candidate);

        Assert.True(alice.Client.Calls.MediaConnected(id, bob.Fingerprint.ToString()));
        Assert.True(bob.Client.Calls.MediaConnected(id, alice.Fingerprint.ToString()));
        bob.Client.Calls.HangUp(id);
        Assert.Equal(CallEndReason.RemoteHangup, (await alice.WaitAsync(u => u.Snapshot?.State == CallState.Ended)).Snapshot!.EndReason);

        var aliceRecord = (await alice.WaitAsync(u => u.Kind == CallUpdateKind.Recorded)).Record!;
        var bobRecord = (await bob.WaitAsync(u => u.Kind == CallUpdateKind.Recorded)).Record!;
        Assert.Equal((CallRecordKind.Outgoing, CallMedia.Video), (aliceRecord.Kind, aliceRecord.Media));
        Assert.Equal((CallRecordKind.Incoming, CallEndReason.LocalHangup), (bobRecord.Kind, bobRecord.EndReason));
        var history = await alice.Client.Conversations.HistoryAsync("bob", 10, CancellationToken.None).WaitAsync(EventWait);
        var entry = Assert.Single(history);
        Assert.Equal(id, entry.Call!.CallId);
        Assert.StartsWith("Outgoing video call, 0:", entry.Text, StringComparison.Ordinal);
        Assert.StartsWith("Incoming video call, 0:", Assert.Single(await bob.Client.Conversations.HistoryAsync("alice", 10, CancellationToken.None)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_call_ends_on_both_sides_and_a_media_fingerprint_unlike_the_signalled_one_is_a_security_error()
    {
        await using var world = await World.StartAsync();
        await using var alice = await CallParty.RegisterAsync(world, "alice");
        await using var bob = await CallParty.RegisterAsync(world, "bob");
        await CallParty.BefriendAsync(alice, bob);

        var first = await alice.Client.Calls.StartAsync("bob", CallMedia.Audio, alice.Sdp, CancellationToken.None).WaitAsync(EventWait);
        await bob.WaitAsync(u => u.Snapshot?.State == CallState.Incoming);
        bob.Client.Calls.Decline(first);
        Assert.Equal(CallEndReason.RemoteDeclined, (await alice.WaitAsync(u => u.Snapshot?.State == CallState.Ended)).Snapshot!.EndReason);
        Assert.Equal("Outgoing voice call (declined)", (await alice.WaitAsync(u => u.Kind == CallUpdateKind.Recorded)).Record!.Describe());
        Assert.Equal("Incoming voice call (declined)", (await bob.WaitAsync(u => u.Kind == CallUpdateKind.Recorded)).Record!.Describe());

        var second = await alice.Client.Calls.StartAsync("bob", CallMedia.Video, alice.Sdp, CancellationToken.None).WaitAsync(EventWait);
        await bob.WaitAsync(u => u.Snapshot?.State == CallState.Incoming && u.CallId == second);
        bob.Client.Calls.Accept(second, bob.Sdp);
        await alice.WaitAsync(u => u.Snapshot?.State == CallState.Connecting);
        var impostor = new DtlsFingerprint(RandomNumberGenerator.GetBytes(DtlsFingerprint.ByteLength));
        Assert.False(alice.Client.Calls.MediaConnected(second, impostor.ToString())); // someone else terminated DTLS
        Assert.Equal(CallEndReason.SecurityError, (await alice.WaitAsync(u => u.Snapshot?.State == CallState.Ended)).Snapshot!.EndReason);
        Assert.Equal(CallEndReason.SecurityError, (await bob.WaitAsync(u => u.Snapshot?.State == CallState.Ended)).Snapshot!.EndReason);
    }

    [Fact]
    public async Task A_stranger_cannot_ring_and_a_second_call_during_one_is_busy()
    {
        await using var world = await World.StartAsync();
        await using var alice = await CallParty.RegisterAsync(world, "alice");
        await using var bob = await CallParty.RegisterAsync(world, "bob");
        await using var mallory = await CallParty.RegisterAsync(world, "mallory");
        await CallParty.BefriendAsync(alice, bob);

        var refused = await Assert.ThrowsAsync<ParleyClientException>(() => mallory.Client.Calls.StartAsync("bob", CallMedia.Video, mallory.Sdp, CancellationToken.None).WaitAsync(EventWait));
        Assert.Equal(ClientErrorKind.NotAContact, refused.Kind);

        var id = await alice.Client.Calls.StartAsync("bob", CallMedia.Audio, alice.Sdp, CancellationToken.None).WaitAsync(EventWait);
        var busy = await Assert.ThrowsAsync<ParleyClientException>(() => alice.Client.Calls.StartAsync("bob", CallMedia.Audio, alice.Sdp, CancellationToken.None).WaitAsync(EventWait));
        Assert.Equal(ClientErrorKind.CallBusy, busy.Kind);
        await bob.WaitAsync(u => u.Snapshot?.State == CallState.Incoming);
        alice.Client.Calls.HangUp(id);
        Assert.Equal(CallEndReason.RemoteCancelled, (await bob.WaitAsync(u => u.Snapshot?.State == CallState.Ended)).Snapshot!.EndReason);
        Assert.Equal("Missed voice call", (await bob.WaitAsync(u => u.Kind == CallUpdateKind.Recorded)).Record!.Describe());
        Assert.DoesNotContain(mallory.Updates, u => u.Kind == CallUpdateKind.Recorded);
    }

    [Fact]
    public async Task An_offer_that_waited_60_seconds_for_an_offline_callee_is_a_missed_call_and_a_younger_one_rings()
    {
        await using var world = await World.StartAsync();
        await using var alice = await CallParty.RegisterAsync(world, "alice");
        await using var bob = await CallParty.RegisterAsync(world, "bob", start: false);
        await CallParty.BefriendAsync(alice, bob);

        var stale = await alice.Client.Calls.StartAsync("bob", CallMedia.Video, alice.Sdp, CancellationToken.None).WaitAsync(EventWait);
        alice.Client.Calls.HangUp(stale); // the caller gives up; its hangup waits in the queue behind the offer
        await alice.WaitAsync(u => u.Kind == CallUpdateKind.Recorded);
        bob.Clock.Shift = CallLimits.OfferTtl; // bob comes back a minute later
        bob.Start();

        var missed = (await bob.WaitAsync(u => u.Kind == CallUpdateKind.Recorded)).Record!;
        Assert.Equal((stale, CallRecordKind.Missed, CallEndReason.Expired), (missed.CallId, missed.Kind, missed.EndReason));
        Assert.DoesNotContain(bob.Updates, u => u.Snapshot?.State == CallState.Incoming);

        bob.Clock.Shift = TimeSpan.FromSeconds(50); // within the minute: it rings for what is left
        await bob.StopAsync();
        var fresh = await alice.Client.Calls.StartAsync("bob", CallMedia.Audio, alice.Sdp, CancellationToken.None).WaitAsync(EventWait);
        bob.Start();
        Assert.Equal(fresh, (await bob.WaitAsync(u => u.Snapshot?.State == CallState.Incoming)).CallId);
        alice.Client.Calls.HangUp(fresh);
        await bob.WaitAsync(u => u.Snapshot?.State == CallState.Ended);
    }

    /// <summary>A logged-in client with its call updates collected, a "browser" certificate and a clock that can run ahead.</summary>
    private sealed class CallParty : IAsyncDisposable
    {
        private readonly Channel<CallUpdate> _updates = Channel.CreateUnbounded<CallUpdate>();
        private readonly List<CallUpdate> _seen = [];
        private readonly World _world;
        private readonly string _name;
        private IDisposable? _subscription;

        private CallParty(World world, string name, ParleyClient client, ShiftedClock clock)
        {
            _world = world;
            _name = name;
            Client = client;
            Clock = clock;
        }

        public ParleyClient Client { get; private set; }

        public ShiftedClock Clock { get; }

        public DtlsFingerprint Fingerprint { get; } = new(RandomNumberGenerator.GetBytes(DtlsFingerprint.ByteLength));

        public string Sdp => "v=0\r\no=- 46117314 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:Wb+u\r\na=ice-pwd:/kGb0Cyi1yIyOJ8uT1JDX7Tu\r\n"
            + "a=fingerprint:" + Fingerprint + "\r\na=setup:actpass\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";

        public IReadOnlyList<CallUpdate> Updates => _seen;

        public static async Task<CallParty> RegisterAsync(World world, string name, bool start = true)
        {
            Assert.True(ServerFingerprint.TryParse(world.Server.Fingerprint, out var pin));
            var clock = new ShiftedClock();
            var client = await ParleyClient.RegisterAsync(Home(world, name), UserName.Parse(name), new Uri(world.Server.Url),
                "ribbon-saxophone-" + name + "-tundra-74", new ServerTrustPolicy(pin, null), Options(world, name, clock), CancellationToken.None).WaitAsync(TestTimeouts.Command);
            var party = new CallParty(world, name, client, clock);
            if (start)
            {
                party.Start();
            }

            return party;
        }

        public static async Task BefriendAsync(CallParty a, CallParty b)
        {
            await a.Client.Contacts.RequestAsync(b._name, null, CancellationToken.None).WaitAsync(EventWait);
            await b.Client.Contacts.RefreshAsync(CancellationToken.None).WaitAsync(EventWait);
            await b.Client.Contacts.AcceptAsync(a._name, CancellationToken.None).WaitAsync(EventWait);
            await a.Client.Contacts.RefreshAsync(CancellationToken.None).WaitAsync(EventWait);
        }

        /// <summary>Goes online as a daemon would: calls ring, the link stays up.</summary>
        public void Start()
        {
            Client.Calls.Rings = true;
            _subscription = Client.Events.Subscribe(e =>
            {
                if (e.Call is { } update)
                {
                    _updates.Writer.TryWrite(update);
                }
            });
            Client.Link.Start();
        }

        /// <summary>Goes offline: the client is closed and opened again (its keys stay cached).</summary>
        public async Task StopAsync()
        {
            _subscription?.Dispose();
            await Client.DisposeAsync();
            Client = ParleyClient.Resume(Home(_world, _name), _name, Options(_world, _name, Clock));
        }

        /// <summary>The first update (seen earlier or arriving within the bound) that matches, consumed so the next wait looks further.</summary>
        public async Task<CallUpdate> WaitAsync(Func<CallUpdate, bool> match)
        {
            using var timeout = new CancellationTokenSource(EventWait);
            while (true)
            {
                var update = await _updates.Reader.ReadAsync(timeout.Token);
                _seen.Add(update);
                if (match(update))
                {
                    return update;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            _subscription?.Dispose();
            await Client.DisposeAsync();
        }

        private static ParleyHome Home(World world, string name) => new(Path.Combine(world.Root, "home-" + name));

        private static ClientOptions Options(World world, string name, ShiftedClock clock) =>
            new() { KeyCache = new UnlockedKeyCache(Path.Combine(world.Root, "runtime-" + name)), Time = clock };
    }

    /// <summary>The system clock, plus a shift the test sets (timers run in real time).</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
