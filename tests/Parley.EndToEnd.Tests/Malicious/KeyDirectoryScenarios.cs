using System.Net;
using Parley.EndToEnd.Tests.Infrastructure;
using Parley.Wire;

namespace Parley.EndToEnd.Tests.Malicious;

/// <summary>
/// attacks.md rows 1, 3, 6 and 25 through the malicious relay, which rewrites the key directory's
/// answers (<c>GET /v1/keys/{user}</c>): an attacker's identity under a contact's name, a bundle with
/// a flipped bit, a one-time prekey served twice.
/// </summary>
public sealed class KeyDirectoryScenarios
{
    private static bool IsBundleOf(string method, string path, string user) =>
        method == "GET" && path == "/v1/keys/" + user;

    [Fact]
    public async Task A_swapped_identity_key_for_a_known_contact_is_reported_and_nothing_is_sent_to_it()
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await ReplayScenarios.PairAsync(evil);
        await alice.SendAsync(bob, "hello bob");
        Assert.Equal(["hello bob"], User.Texts(await bob.ReceiveAsync()));
        var genuineNumber = SafetyNumber(await bob.OkAsync("verify", "alice", "--json"));
        Assert.Equal(genuineNumber, SafetyNumber(await alice.OkAsync("verify", "bob", "--json")));

        // The server claims Bob came back (a contact event Alice's client checks keys on) and serves
        // an identity of its own making under Bob's name.
        var forged = EvilWorld.ForgedBundleJson("bob");
        evil.Relay.RewriteResponse = (method, path, _, body) => IsBundleOf(method, path, "bob") ? forged : null;
        evil.Relay.OnServerFrame = f => f.Frame?.KindCase == ServerFrame.KindOneofCase.QueueEmpty
            ? [EvilWorld.Bytes(new ServerFrame { ContactEvent = new ContactEvent { MessageId = EvilWorld.NewMessageId(), Kind = ContactEventKind.Accepted, From = "bob", ServerTimestampMs = 1 } }), f.Bytes]
            : [f.Bytes];
        var events = await alice.ReceiveAsync();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "key-changed" && e.GetProperty("user").GetString() == "bob");
        evil.Relay.OnServerFrame = null;

        var sendsBefore = evil.SendsBy(f => f.Frame?.Send?.Recipient == "bob").Count;
        var refused = await alice.RunAsync("send", "bob", "are you there?");
        Assert.Equal(7, refused.ExitCode);
        Assert.Contains("identity key has changed", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(sendsBefore, evil.SendsBy(f => f.Frame?.Send?.Recipient == "bob").Count);
        Assert.NotEqual(genuineNumber, SafetyNumber(await alice.OkAsync("verify", "bob", "--json")));
    }

    [Fact]
    public async Task An_identity_swapped_on_first_contact_shows_in_the_safety_numbers()
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await ReplayScenarios.PairAsync(evil);
        var forged = EvilWorld.ForgedBundleJson("bob");
        evil.Relay.RewriteResponse = (method, path, _, body) => IsBundleOf(method, path, "bob") ? forged : null;

        // Trust on first use cannot see this; comparing safety numbers in person does.
        var alicesView = SafetyNumber(await alice.OkAsync("verify", "bob", "--json"));
        var bobsView = SafetyNumber(await bob.OkAsync("verify", "alice", "--json"));
        Assert.NotEqual(bobsView, alicesView);

        // And nothing Alice then encrypts to the forged key reads as a message at Bob's end.
        await alice.SendAsync(bob, "for the real bob");
        evil.Relay.RewriteResponse = null;
        var events = await bob.ReceiveAsync();
        Assert.Empty(User.Texts(events));
    }

    public static TheoryData<int> FlippedBits => [0, 1, 2];

    [Theory]
    [MemberData(nameof(FlippedBits))]
    public async Task A_bundle_with_a_flipped_bit_creates_no_session_and_sends_nothing(int where)
    {
        await using var evil = await EvilWorld.StartAsync();
        var (alice, bob) = await ReplayScenarios.PairAsync(evil);
        evil.Relay.RewriteResponse = (method, path, status, body) =>
        {
            if (!IsBundleOf(method, path, "bob") || status != HttpStatusCode.OK)
            {
                return null;
            }

            var raw = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("bundle").GetString()!);
            // Near the start (header and account id), the middle (keys), the last byte (the suite list's signature).
            var at = where switch { 0 => 3, 1 => raw.Length / 2, _ => raw.Length - 1 };
            raw[at] ^= 0x10;
            return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { bundle = Convert.ToBase64String(raw) });
        };

        var result = await alice.RunAsync("send", "bob", "should never leave");
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(evil.SendsBy(f => f.Frame?.Send?.Recipient == "bob"));

        evil.Relay.RewriteResponse = null;
        await alice.SendAsync(bob, "with the genuine bundle");
        Assert.Equal(["with the genuine bundle"], User.Texts(await bob.ReceiveAsync()));
    }

    [Fact]
    public async Task A_one_time_prekey_served_twice_never_shows_a_wrong_message()
    {
        await using var evil = await EvilWorld.StartAsync();
        var users = await evil.UsersAsync("alice", "bob", "carol");
        var (alice, bob, carol) = (users[0], users[1], users[2]);
        await User.BefriendAsync(alice, bob);
        await User.BefriendAsync(carol, bob);

        // The first bundle handed out for Bob is handed out again: two sessions on one one-time key.
        byte[]? first = null;
        evil.Relay.RewriteResponse = (method, path, status, body) =>
        {
            if (!IsBundleOf(method, path, "bob") || status != HttpStatusCode.OK)
            {
                return null;
            }

            first ??= body;
            return first;
        };
        await alice.SendAsync(bob, "from alice");
        await carol.SendAsync(bob, "from carol");
        evil.Relay.RewriteResponse = null;

        var events = await bob.ReceiveAsync();
        var texts = User.Texts(events);
        Assert.Contains("from alice", texts);
        Assert.True(texts.All(t => t is "from alice" or "from carol"), string.Join(", ", texts));
        Assert.Equal(texts.Count, texts.Distinct().Count());
        var shown = events.Where(e => e.TryGetProperty("text", out _)).ToDictionary(e => e.GetProperty("text").GetString()!, e => e.GetProperty("from").GetString());
        Assert.Equal("alice", shown["from alice"]);
        if (shown.TryGetValue("from carol", out var sender))
        {
            Assert.Equal("carol", sender);
        }
        else
        {
            Assert.Contains(events, e => e.GetProperty("type").GetString() == "undecryptable");
        }
    }

    private static string SafetyNumber(CliResult result) => Assert.Single(result.JsonLines).GetProperty("safetyNumber").GetString()!;
}
