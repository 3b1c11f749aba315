using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.Scenarios;

/// <summary>A contact deletes the account and registers again: a new identity key, a loud warning, no sending until trusted.</summary>
public sealed class KeyChangeTests
{
    [Fact]
    public async Task A_re_registered_contact_triggers_the_key_change_warning_and_blocks_sending_until_trust()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await alice.SendAsync(bob, "hello old bob");
        await bob.ReceiveAsync();
        var before = Assert.Single((await alice.OkAsync("verify", "bob", "--json")).JsonLines).GetProperty("safetyNumber").GetString();

        var deleted = await bob.RunWithInputAsync(bob.Password + "\n", "account", "delete", "--password-stdin");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        await bob.RegisterAsync();
        await bob.OkAsync("contacts", "request", "alice");

        // Alice hears of the returning bob and, in the same receive, of his new identity key.
        var events = await alice.ReceiveAsync();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "contact-request" && e.GetProperty("user").GetString() == "bob");
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "key-changed" && e.GetProperty("user").GetString() == "bob");
        await alice.OkAsync("contacts", "accept", "bob");
        await bob.ReceiveAsync();
        var refused = await alice.RunAsync("send", "bob", "is that really you?");
        Assert.Equal(7, refused.ExitCode);
        Assert.Contains("identity key has changed", refused.Stderr, StringComparison.Ordinal);

        var after = Assert.Single((await alice.OkAsync("verify", "bob", "--json")).JsonLines).GetProperty("safetyNumber").GetString();
        Assert.NotEqual(before, after);
        Assert.Equal(after, Assert.Single((await bob.OkAsync("verify", "alice", "--json")).JsonLines).GetProperty("safetyNumber").GetString());

        await alice.OkAsync("trust", "bob");
        await alice.SendAsync(bob, "welcome back, new bob");
        Assert.Equal(["welcome back, new bob"], User.Texts(await bob.ReceiveAsync()));
    }

    [Fact]
    public async Task Logging_in_on_a_new_installation_makes_a_new_identity_that_contacts_are_warned_about()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await alice.SendAsync(bob, "hello bob");
        Assert.Equal(["hello bob"], User.Texts(await bob.ReceiveAsync()));

        // Bob logs in on another machine (a new home): a new device identity is published.
        var bobElsewhere = world.NewUser("bob");
        var login = await bobElsewhere.LoginAsync();
        Assert.True(login.ExitCode == 0, login.ToString());
        await bobElsewhere.SendAsync(alice, "it's me, on my laptop");

        var events = await alice.ReceiveAsync();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "key-changed" && e.GetProperty("user").GetString() == "bob");
        Assert.Empty(User.Texts(events)); // held back until alice trusts the new key
        Assert.Equal(7, (await alice.RunAsync("send", "bob", "which bob are you?")).ExitCode);

        await alice.OkAsync("trust", "bob");
        Assert.Equal(["it's me, on my laptop"], User.Texts(await alice.ReceiveAsync()));
        await alice.SendAsync(bob, "welcome to the laptop");
        Assert.Equal(["welcome to the laptop"], User.Texts(await bobElsewhere.ReceiveAsync()));
    }

    [Fact]
    public async Task Messages_held_under_a_changed_key_appear_in_history_where_they_were_sent()
    {
        await using var world = await World.StartAsync();
        var (alice, bob) = await world.NewFriendsAsync("alice", "bob");
        await bob.SendAsync(alice, "1 before");
        await alice.ReceiveAsync();

        var bobElsewhere = world.NewUser("bob");
        var login = await bobElsewhere.LoginAsync();
        Assert.True(login.ExitCode == 0, login.ToString());
        foreach (var text in (string[])["2 held", "3 held", "4 held", "5 held"])
        {
            await bobElsewhere.SendAsync(alice, text);
        }

        var events = await alice.ReceiveAsync();
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "key-changed");
        Assert.Empty(User.Texts(events));
        await alice.OkAsync("trust", "bob");
        await alice.SendAsync(bob, "6 after trust");

        Assert.Equal(["2 held", "3 held", "4 held", "5 held"], User.Texts(await alice.ReceiveAsync()));
        var history = (await alice.OkAsync("history", "bob", "--json")).JsonLines;
        Assert.Equal(["1 before", "2 held", "3 held", "4 held", "5 held", "6 after trust"], User.Texts(history));
    }
}
