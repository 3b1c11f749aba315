using Parley.EndToEnd.Tests.Infrastructure;

namespace Parley.EndToEnd.Tests.CommandLine;

/// <summary><c>parley shell</c>: seed 004's menu (list, connect, disconnect, message, exit) over the same API.</summary>
public sealed class ShellTests
{
    [Fact]
    public async Task The_shell_lists_connects_messages_disconnects_and_exits_and_a_wrong_entry_does_not_end_it()
    {
        await using var world = await World.StartAsync();
        var alice = world.NewUser("alice");
        var bob = world.NewUser("bob");
        var carol = world.NewUser("carol");
        await alice.RegisterAsync();
        await bob.RegisterAsync();
        await carol.RegisterAsync();
        await User.BefriendAsync(alice, bob);
        await bob.SendAsync(alice, "are you there?");
        await carol.OkAsync("contacts", "request", "alice", "--note", "carol here");

        var session = await alice.RunWithInputAsync(
            "/c\n/l\n/m bob yes, in the shell\n/x\n/m nobody-here hello\n/cc carol\n/dc bob\n/q\n",
            "shell");

        Assert.True(session.ExitCode == 0, session.ToString());
        Assert.Contains("bob (contact)", session.Stdout, StringComparison.Ordinal);
        Assert.Contains("are you there?", session.Stdout, StringComparison.Ordinal); // printed before a prompt
        Assert.Contains("sent to bob", session.Stdout, StringComparison.Ordinal);
        Assert.Contains("Accepted carol's request", session.Stdout, StringComparison.Ordinal);
        Assert.Contains("Ended the secure session with bob", session.Stdout, StringComparison.Ordinal);
        Assert.Contains("Not a menu entry", session.Stderr, StringComparison.Ordinal); // /x, and the shell went on
        Assert.Contains("not one of your contacts", session.Stderr, StringComparison.Ordinal); // a refused send is said, and the shell went on

        var received = await bob.ReceiveAsync();
        Assert.Equal(["yes, in the shell"], User.Texts(received));
        Assert.Contains(received, e => e.GetProperty("type").GetString() == "session-ended");
        Assert.Contains(await carol.ReceiveAsync(), e => e.GetProperty("type").GetString() == "contact-accepted");
    }
}
