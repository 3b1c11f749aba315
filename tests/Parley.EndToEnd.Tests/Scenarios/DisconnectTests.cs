using System.Text.Json;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary><c>parley disconnect</c>: both sides forget the session, history stays, the next message starts a new one.</summary>
public sealed class DisconnectTests
{
    [Fact]
    public async Task Disconnect_ends_the_session_on_both_sides_and_the_conversation_continues_on_a_new_one()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        var carol = world.NewUser("carol");
        await alice.RegisterAsync();
        await bob.RegisterAsync();
        await carol.RegisterAsync();
        await User.BefriendAsync(alice, bob);

        // No session yet: nothing to end. A stranger: not a contact (exit 5).
        var none = await alice.OkAsync("disconnect", "bob", "--json");
        Assert.False(Assert.Single(none.JsonLines).GetProperty("ended").GetBoolean());
        Assert.Equal(5, (await alice.RunAsync("disconnect", "carol")).ExitCode);

        await alice.SendAsync(bob, "before the reset");
        Assert.Equal(["before the reset"], User.Texts(await bob.ReceiveAsync()));
        await bob.SendAsync(alice, "got it");
        Assert.Equal(["got it"], User.Texts(await alice.ReceiveAsync()));

        // The server is down: nothing changes (the next message still rides the old session).
        await world.Server.StopAsync();
        Assert.Equal(3, (await alice.RunAsync("disconnect", "bob")).ExitCode);
        await world.Server.StartAsync();
        var still = await alice.OkAsync("send", "bob", "still the old session", "--debug");
        Assert.Equal("ENVELOPE_TYPE_RATCHET_MESSAGE", SentEnvelopeType(still.Stderr));
        Assert.Equal(["still the old session"], User.Texts(await bob.ReceiveAsync()));

        // Alice ends it; bob is told; both sides' next messages start new key agreements.
        var ended = await alice.OkAsync("disconnect", "bob");
        Assert.Contains("Ended the secure session with bob", ended.Stdout, StringComparison.Ordinal);
        var told = await bob.ReceiveAsync();
        Assert.Contains(told, e => e.GetProperty("type").GetString() == "session-ended" && e.GetProperty("user").GetString() == "alice");
        Assert.Empty(User.Texts(told));

        var fresh = await alice.OkAsync("send", "bob", "after the reset", "--debug");
        Assert.Equal("ENVELOPE_TYPE_PREKEY_MESSAGE", SentEnvelopeType(fresh.Stderr));
        Assert.Equal(["after the reset"], User.Texts(await bob.ReceiveAsync()));
        var reply = await bob.OkAsync("send", "alice", "reply on the new session", "--debug");
        Assert.Equal("ENVELOPE_TYPE_RATCHET_MESSAGE", SentEnvelopeType(reply.Stderr)); // bob answers on the session alice's prekey message built
        Assert.Equal(["reply on the new session"], User.Texts(await alice.ReceiveAsync()));

        // History stays on both sides.
        var history = await bob.OkAsync("history", "alice", "--json");
        Assert.Equal(
            ["before the reset", "got it", "still the old session", "after the reset", "reply on the new session"],
            history.JsonLines.Select(m => m.GetProperty("text").GetString()!).ToList());

        // The same from bob's side, without a server outage: alice hears about it and the chat goes on.
        Assert.True(Assert.Single((await bob.OkAsync("disconnect", "alice", "--json")).JsonLines).GetProperty("ended").GetBoolean());
        Assert.Contains(await alice.ReceiveAsync(), e => e.GetProperty("type").GetString() == "session-ended");
        await alice.SendAsync(bob, "third session");
        Assert.Equal(["third session"], User.Texts(await bob.ReceiveAsync()));
    }

    /// <summary>The envelope type of the Send frame in a <c>--debug</c> trace.</summary>
    private static string SentEnvelopeType(string stderr)
    {
        foreach (var line in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')))
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.TryGetProperty("relay", out var relay) && relay.TryGetProperty("send", out var send))
            {
                return send.GetProperty("type").GetString()!;
            }
        }

        throw new Xunit.Sdk.XunitException("no Send frame in the trace:\n" + stderr);
    }
}
