using Google.Protobuf;
using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Wire;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>
/// attacks.md rows 9, 24, 27, 32 and 33 through the malicious relay: bit-flipped, truncated and
/// extended ciphertexts injected before the genuine ones; deliveries reordered and one withheld (the
/// relay acknowledges it to the server itself, so it is gone); garbage and oversized frames. Forged
/// ciphertexts are reported as undecryptable and never shown, draw no receipt, and leave the session
/// working; the genuine messages are each shown once.
/// </summary>
public sealed class TamperingScenarios
{
    [Fact]
    public async Task Flipped_truncated_and_extended_ciphertexts_are_reported_never_shown_and_do_not_wedge_the_session()
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await ReplayScenarios.PairAsync(evil);
        var forged = 0;
        evil.Relay.OnServerFrame = f =>
        {
            if (f.Frame?.Deliver is not { Sender: "alice" } genuine)
            {
                return [f.Bytes];
            }

            var copies = Forgeries(genuine.Ciphertext.ToByteArray())
                .Select(c => EvilWorld.Bytes(new ServerFrame { Deliver = new Deliver(genuine) { MessageId = EvilWorld.NewMessageId(), Ciphertext = ByteString.CopyFrom(c) } }))
                .ToList();
            Interlocked.Add(ref forged, copies.Count);
            return [.. copies, f.Bytes];
        };

        await alice.SendAsync(bob, "one"); // a prekey message: forgeries of the session's first message
        var first = await bob.ReceiveAsync();
        await alice.SendAsync(bob, "two");
        await alice.SendAsync(bob, "three");
        var later = await bob.ReceiveAsync();

        Assert.Equal(["one"], User.Texts(first));
        Assert.Equal(["two", "three"], User.Texts(later));
        Assert.Equal(forged, EvilWorld.OfType([.. first, .. later], "undecryptable").Count);
        Assert.Equal(["one", "two", "three"], ReplayScenarios.History(await bob.OkAsync("history", "alice", "--json")));

        // Bob's client answered only the genuine messages (no receipt reveals which forgery "worked").
        var receipts = evil.SendsBy(f => f.Frame?.Send is { Recipient: "alice", Type: EnvelopeType.Receipt });
        Assert.InRange(receipts.Count, 0, 3);

        evil.Relay.OnServerFrame = null;
        await bob.SendAsync(alice, "still fine");
        Assert.Contains("still fine", User.Texts(await alice.ReceiveAsync()));
    }

    [Fact]
    public async Task Reordered_deliveries_are_each_shown_once_and_a_withheld_one_is_never_invented()
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await ReplayScenarios.PairAsync(evil);
        await alice.SendAsync(bob, "m1");
        Assert.Equal(["m1"], User.Texts(await bob.ReceiveAsync()));
        foreach (var text in new[] { "m2", "m3", "m4", "m5", "m6" })
        {
            await alice.SendAsync(bob, text);
        }

        // The relay holds m2 back until after m3, and withholds m5: it never reaches Bob, and the
        // relay acknowledges it to the server itself, so the server deletes it.
        Deliver? held = null;
        var n = 0;
        evil.Relay.OnServerFrame = f =>
        {
            if (f.Frame?.Deliver is not { } deliver)
            {
                return [f.Bytes];
            }

            switch (++n)
            {
                case 1:
                    held = deliver;
                    return [];
                case 2:
                    return [f.Bytes, EvilWorld.Bytes(new ServerFrame { Deliver = held! })];
                case 4:
                    evil.Relay.InjectToServer(new ClientFrame { Ack = new Ack { MessageId = deliver.MessageId, Sender = deliver.Sender } });
                    return [];
                default:
                    return [f.Bytes];
            }
        };

        var events = await bob.ReceiveAsync();
        Assert.Equal(["m3", "m2", "m4", "m6"], User.Texts(events));
        Assert.Empty(EvilWorld.OfType(events, "undecryptable"));

        evil.Relay.OnServerFrame = null;
        Assert.Empty(User.Texts(await bob.ReceiveAsync()));
        Assert.Equal(["m1", "m3", "m2", "m4", "m6"], ReplayScenarios.History(await bob.OkAsync("history", "alice", "--json")));
    }

    public static TheoryData<string> HostileFrames => ["garbage", "oversized", "unknown field"];

    [Theory]
    [MemberData(nameof(HostileFrames))]
    public async Task A_hostile_frame_ends_the_receive_with_an_error_or_is_ignored_and_loses_nothing(string kind)
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await ReplayScenarios.PairAsync(evil);
        await alice.SendAsync(bob, "kept safe");
        byte[] hostile = kind switch
        {
            "garbage" => [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x12, 0x80],
            "oversized" => new byte[1024 * 1024],
            _ => [0xF8, 0xFF, 0x03, 0x01], // field 65535, varint: a frame kind from the future
        };
        var injected = 0;
        evil.Relay.OnServerFrame = f => Interlocked.Exchange(ref injected, 1) == 0 ? [hostile, f.Bytes] : [f.Bytes];

        var result = await bob.RunAsync("receive", "--json", "--wait", "0");
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        if (kind == "unknown field")
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(["kept safe"], User.Texts(result.JsonLines));
            return;
        }

        Assert.NotEqual(0, result.ExitCode);
        evil.Relay.OnServerFrame = null;
        Assert.Equal(["kept safe"], User.Texts(await bob.ReceiveAsync()));
    }

    /// <summary>Bit flips at the start, middle and end, a truncation, an extension, and an empty ciphertext.</summary>
    private static IEnumerable<byte[]> Forgeries(byte[] genuine)
    {
        foreach (var at in new[] { 0, 3, genuine.Length / 2, genuine.Length - 1 })
        {
            var flipped = (byte[])genuine.Clone();
            flipped[at] ^= 0x04;
            yield return flipped;
        }

        yield return genuine[..^1];
        yield return [.. genuine, 0];
        yield return [];
    }
}
