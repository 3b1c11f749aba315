using System.Globalization;
using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>Alice and Bob, each with their own home, talk through the real server and the real CLI (on its own, and through a daemon per home).</summary>
public sealed class ConversationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Register_befriend_and_talk_both_ways_with_receipts(bool daemons)
    {
        await using var world = await World.StartAsync(daemons);
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");

        var id = await alice.SendAsync(bob, "Hello Bob, lunch at noon?");
        var atBob = await bob.ReceiveAsync();
        var message = Assert.Single(atBob, e => e.GetProperty("type").GetString() == "message");
        Assert.Equal("Hello Bob, lunch at noon?", message.GetProperty("text").GetString());
        Assert.Equal("alice", message.GetProperty("from").GetString());
        Assert.Equal(id, message.GetProperty("id").GetString());

        await bob.SendAsync(alice, "Noon works. See you there!");
        var atAlice = await alice.ReceiveAsync();
        Assert.Equal(["Noon works. See you there!"], User.Texts(atAlice));
        Assert.Contains(atAlice, e => e.GetProperty("type").GetString() == "read" && e.GetProperty("user").GetString() == "bob");

        // Nothing is shown twice: a second receive on either side is empty of messages.
        Assert.Empty(User.Texts(await bob.ReceiveAsync()));
        Assert.Empty(User.Texts(await alice.ReceiveAsync()));

        var history = (await alice.OkAsync("history", "bob", "--json")).JsonLines;
        Assert.Equal(["Hello Bob, lunch at noon?", "Noon works. See you there!"], history.Select(m => m.GetProperty("text").GetString()));
        Assert.Equal("read", history[0].GetProperty("state").GetString());
        Assert.Equal("in", history[1].GetProperty("direction").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Safety_numbers_match_on_both_sides_and_verification_is_recorded(bool daemons)
    {
        await using var world = await World.StartAsync(daemons);
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await alice.SendAsync(bob, "pinning keys both ways");
        await bob.ReceiveAsync();

        var atAlice = Assert.Single((await alice.OkAsync("verify", "bob", "--json")).JsonLines);
        var atBob = Assert.Single((await bob.OkAsync("verify", "alice", "--json")).JsonLines);
        var number = atAlice.GetProperty("safetyNumber").GetString()!;
        Assert.Equal(number, atBob.GetProperty("safetyNumber").GetString());
        Assert.Matches("^([0-9]{5} ){11}[0-9]{5}$", number);
        Assert.False(atAlice.GetProperty("verified").GetBoolean());

        var human = await alice.OkAsync("verify", "bob", "--confirm");
        foreach (var group in number.Split(' '))
        {
            Assert.Contains(group, human.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("█", human.Stdout, StringComparison.Ordinal); // the QR code
        var contacts = (await alice.OkAsync("contacts", "list", "--json")).JsonLines;
        Assert.True(Assert.Single(contacts, c => c.GetProperty("user").GetString() == "bob").GetProperty("verified").GetBoolean());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Only_contacts_can_message_and_only_a_request_tells_whether_a_user_exists(bool daemons)
    {
        await using var world = await World.StartAsync(daemons);
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        await alice.RegisterAsync();
        await bob.RegisterAsync();

        var notContact = await alice.RunAsync("send", "bob", "hi stranger");
        Assert.Equal(5, notContact.ExitCode);
        Assert.Contains("not one of your contacts", notContact.Stderr, StringComparison.Ordinal);

        // Every other command answers a user who does not exist exactly as bob, who exists but is not
        // in that relation with alice: same exit code, same sentence (block and unblock last: they succeed).
        string[][] commands = [["send", "{0}", "hi"], ["history", "{0}"], ["verify", "{0}"], ["contacts", "remove", "{0}"],
            ["contacts", "accept", "{0}"], ["contacts", "decline", "{0}"], ["block", "{0}"], ["unblock", "{0}"]];
        foreach (var command in commands)
        {
            var existing = await alice.RunAsync([.. command.Select(a => string.Format(CultureInfo.InvariantCulture, a, "bob"))]);
            var unknown = await alice.RunAsync([.. command.Select(a => string.Format(CultureInfo.InvariantCulture, a, "nobody_here"))]);
            Assert.True(existing.ExitCode == unknown.ExitCode, $"{command[0]}: exit {existing.ExitCode} for bob, {unknown.ExitCode} for an unknown user");
            Assert.Equal(existing.Stderr.Replace("bob", "USER", StringComparison.Ordinal), unknown.Stderr.Replace("nobody_here", "USER", StringComparison.Ordinal));
        }

        var accept = await alice.RunAsync("contacts", "accept", "nobody_here");
        Assert.Equal(5, accept.ExitCode);
        Assert.Contains("no pending contact request", accept.Stderr, StringComparison.Ordinal);

        var nobody = await alice.RunAsync("contacts", "request", "nobody_here");
        Assert.Equal(9, nobody.ExitCode);
        Assert.Contains("does not exist", nobody.Stderr, StringComparison.Ordinal);
    }
}
